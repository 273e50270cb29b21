
                     and ($2 is null or section_id = $2)
                     and ($3 is null or published_at >= $3)
                     and ($4 is null or published_at < $4)
                   order by weight desc, published_at desc, article_id desc
                   limit $5) batch
