//! Drawing the words: our own single-stroke letters, jittered, on a noisy background, encoded
//! as a grey-scale PNG. No font file and no image library: each lower-case letter is a few
//! polylines on a small grid, stroked with anti-aliasing.

/// Glyph grid: x grows right, y grows down; x-height from y=4 to the baseline at y=10,
/// ascenders from y=0, descenders to y=14.
type Stroke = &'static [(f32, f32)];

fn glyph(c: char) -> &'static [Stroke] {
    const BOWL_RIGHT: Stroke = &[
        (5.5, 5.5),
        (4.0, 4.0),
        (1.5, 4.0),
        (0.0, 5.5),
        (0.0, 8.5),
        (1.5, 10.0),
        (4.0, 10.0),
        (5.5, 8.5),
    ];
    const BOWL_LEFT: Stroke = &[
        (0.0, 5.5),
        (1.5, 4.0),
        (4.0, 4.0),
        (5.5, 5.5),
        (5.5, 8.5),
        (4.0, 10.0),
        (1.5, 10.0),
        (0.0, 8.5),
    ];
    const ARCH: Stroke = &[(0.0, 5.5), (1.5, 4.0), (4.0, 4.0), (5.5, 5.5), (5.5, 10.0)];
    match c {
        'a' => &[&[(5.5, 4.0), (5.5, 10.0)], BOWL_RIGHT],
        'b' => &[&[(0.0, 0.0), (0.0, 10.0)], BOWL_LEFT],
        'c' => &[&[
            (5.5, 5.0),
            (4.0, 4.0),
            (2.0, 4.0),
            (0.5, 5.5),
            (0.5, 8.5),
            (2.0, 10.0),
            (4.0, 10.0),
            (5.5, 9.0),
        ]],
        'd' => &[&[(5.5, 0.0), (5.5, 10.0)], BOWL_RIGHT],
        'e' => &[&[
            (0.5, 7.0),
            (5.5, 7.0),
            (5.5, 5.5),
            (4.0, 4.0),
            (2.0, 4.0),
            (0.5, 5.5),
            (0.5, 8.5),
            (2.0, 10.0),
            (4.0, 10.0),
            (5.5, 9.0),
        ]],
        'f' => &[
            &[(5.0, 0.5), (4.0, 0.0), (2.5, 0.0), (1.5, 1.0), (1.5, 10.0)],
            &[(0.0, 4.0), (4.0, 4.0)],
        ],
        'g' => &[
            &[
                (5.5, 4.0),
                (5.5, 12.5),
                (4.0, 14.0),
                (1.5, 14.0),
                (0.5, 13.0),
            ],
            BOWL_RIGHT,
        ],
        'h' => &[&[(0.0, 0.0), (0.0, 10.0)], ARCH],
        'i' => &[&[(1.0, 4.0), (1.0, 10.0)], &[(1.0, 1.4), (1.0, 2.2)]],
        'j' => &[
            &[(3.0, 4.0), (3.0, 12.5), (2.0, 14.0), (0.0, 14.0)],
            &[(3.0, 1.4), (3.0, 2.2)],
        ],
        'k' => &[
            &[(0.0, 0.0), (0.0, 10.0)],
            &[(5.0, 4.0), (0.0, 8.0)],
            &[(1.8, 6.6), (5.5, 10.0)],
        ],
        'l' => &[&[(1.0, 0.0), (1.0, 9.0), (2.0, 10.0)]],
        'm' => &[
            &[(0.0, 4.0), (0.0, 10.0)],
            &[(0.0, 5.5), (1.0, 4.0), (2.5, 4.0), (3.5, 5.5), (3.5, 10.0)],
            &[(3.5, 5.5), (4.5, 4.0), (6.0, 4.0), (7.0, 5.5), (7.0, 10.0)],
        ],
        'n' => &[&[(0.0, 4.0), (0.0, 10.0)], ARCH],
        'o' => &[&[
            (2.0, 4.0),
            (4.0, 4.0),
            (5.5, 5.5),
            (5.5, 8.5),
            (4.0, 10.0),
            (2.0, 10.0),
            (0.5, 8.5),
            (0.5, 5.5),
            (2.0, 4.0),
        ]],
        'p' => &[&[(0.0, 4.0), (0.0, 14.0)], BOWL_LEFT],
        'q' => &[&[(5.5, 4.0), (5.5, 14.0)], BOWL_RIGHT],
        'r' => &[
            &[(0.0, 4.0), (0.0, 10.0)],
            &[(0.0, 6.0), (1.5, 4.3), (3.0, 4.0), (4.5, 4.3)],
        ],
        's' => &[&[
            (5.0, 5.0),
            (3.5, 4.0),
            (1.5, 4.0),
            (0.5, 5.0),
            (0.5, 6.0),
            (1.5, 7.0),
            (4.0, 7.0),
            (5.2, 8.0),
            (5.2, 9.0),
            (4.0, 10.0),
            (1.5, 10.0),
            (0.2, 9.0),
        ]],
        't' => &[
            &[(1.5, 1.0), (1.5, 9.0), (2.5, 10.0), (4.0, 10.0)],
            &[(0.0, 4.0), (4.0, 4.0)],
        ],
        'u' => &[
            &[(0.0, 4.0), (0.0, 8.5), (1.5, 10.0), (4.0, 10.0), (5.5, 8.5)],
            &[(5.5, 4.0), (5.5, 10.0)],
        ],
        'v' => &[&[(0.0, 4.0), (3.0, 10.0), (6.0, 4.0)]],
        'w' => &[&[(0.0, 4.0), (2.0, 10.0), (4.0, 5.0), (6.0, 10.0), (8.0, 4.0)]],
        'x' => &[&[(0.0, 4.0), (5.5, 10.0)], &[(5.5, 4.0), (0.0, 10.0)]],
        'y' => &[
            &[(0.0, 4.0), (3.0, 10.0)],
            &[(6.0, 4.0), (2.5, 12.5), (1.5, 14.0), (0.0, 14.0)],
        ],
        'z' => &[&[(0.0, 4.0), (5.5, 4.0), (0.0, 10.0), (5.5, 10.0)]],
        _ => &[],
    }
}

fn advance(c: char) -> f32 {
    glyph(c)
        .iter()
        .flat_map(|s| s.iter().map(|p| p.0))
        .fold(0.0_f32, f32::max)
        + 2.6
}

/// A small xorshift generator for the jitter; the secret is the words, not the wobble.
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        let mut seed = [0u8; 8];
        let _ = getrandom::fill(&mut seed);
        Jitter(u64::from_le_bytes(seed) | 1)
    }
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
    /// Uniform in [-r, r].
    fn around(&mut self, r: f32) -> f32 {
        (self.next() * 2.0 - 1.0) * r
    }
}

struct Canvas {
    width: usize,
    height: usize,
    /// Ink, 0.0 (paper) to 1.0 (black).
    ink: Vec<f32>,
}

impl Canvas {
    fn line(&mut self, (x0, y0): (f32, f32), (x1, y1): (f32, f32), thickness: f32, strength: f32) {
        let half = thickness / 2.0;
        let min_x = (x0.min(x1) - half - 1.0).floor().max(0.0) as usize;
        let max_x = ((x0.max(x1) + half + 1.0).ceil() as usize).min(self.width.saturating_sub(1));
        let min_y = (y0.min(y1) - half - 1.0).floor().max(0.0) as usize;
        let max_y = ((y0.max(y1) + half + 1.0).ceil() as usize).min(self.height.saturating_sub(1));
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len2 = (dx * dx + dy * dy).max(1e-6);
        for y in min_y..=max_y {
            for x in min_x..=max_x {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let t = (((px - x0) * dx + (py - y0) * dy) / len2).clamp(0.0, 1.0);
                let (cx, cy) = (x0 + t * dx - px, y0 + t * dy - py);
                let d = (cx * cx + cy * cy).sqrt();
                let cover = (half + 0.5 - d).clamp(0.0, 1.0) * strength;
                let cell = &mut self.ink[y * self.width + x];
                *cell = cell.max(cover);
            }
        }
    }
}

pub const WIDTH: usize = 300;
pub const HEIGHT: usize = 80;

/// Draws `text` (lower-case letters and spaces) and returns PNG bytes.
pub fn render(text: &str) -> Vec<u8> {
    let mut rng = Jitter::new();
    let mut canvas = Canvas {
        width: WIDTH,
        height: HEIGHT,
        ink: vec![0.0; WIDTH * HEIGHT],
    };

    // Background: faint wavy lines that cross the letters.
    for _ in 0..5 {
        let (mut x, mut y) = (0.0_f32, rng.next() * HEIGHT as f32);
        while x < WIDTH as f32 {
            let nx = x + 12.0;
            let ny = (y + rng.around(6.0)).clamp(2.0, HEIGHT as f32 - 2.0);
            canvas.line((x, y), (nx, ny), 1.2, 0.45);
            (x, y) = (nx, ny);
        }
    }

    let total: f32 = text
        .chars()
        .map(|c| if c == ' ' { 5.0 } else { advance(c) })
        .sum();
    let scale = ((WIDTH as f32 - 24.0) / total).min(4.2);
    let mut pen = (WIDTH as f32 - total * scale) / 2.0;
    let top = (HEIGHT as f32 - 14.0 * scale) / 2.0;
    for c in text.chars() {
        if c == ' ' {
            pen += 5.0 * scale;
            continue;
        }
        let angle = rng.around(0.22);
        let size = scale * (1.0 + rng.around(0.08));
        let lift = rng.around(4.0);
        let (sin, cos) = angle.sin_cos();
        let centre = (3.0, 7.0);
        let place = |(gx, gy): (f32, f32)| {
            let (rx, ry) = (gx - centre.0, gy - centre.1);
            (
                pen + (centre.0 + rx * cos - ry * sin) * size,
                top + lift + (centre.1 + rx * sin + ry * cos) * size,
            )
        };
        for stroke in glyph(c) {
            for pair in stroke.windows(2) {
                canvas.line(place(pair[0]), place(pair[1]), 2.4 + rng.around(0.3), 1.0);
            }
        }
        pen += advance(c) * scale;
    }

    // Speckles.
    for _ in 0..(WIDTH * HEIGHT / 60) {
        let x = (rng.next() * WIDTH as f32) as usize % WIDTH;
        let y = (rng.next() * HEIGHT as f32) as usize % HEIGHT;
        let cell = &mut canvas.ink[y * WIDTH + x];
        *cell = cell.max(0.35);
    }

    let pixels: Vec<u8> = canvas
        .ink
        .iter()
        .map(|ink| (250.0 - ink * 225.0).round() as u8)
        .collect();
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH as u32, HEIGHT as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let written = encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&pixels));
        if let Err(e) = written {
            tracing::error!(error = %e, "cannot encode the CAPTCHA image");
            return Vec::new();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_has_strokes() {
        for c in 'a'..='z' {
            assert!(!glyph(c).is_empty(), "{c}");
        }
    }

    #[test]
    fn renders_a_png_with_ink() {
        let png = render("apple river");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (WIDTH as u32, HEIGHT as u32));
        let dark = buf.iter().filter(|&&p| p < 100).count();
        assert!(dark > 500, "letters are drawn: {dark} dark pixels");
    }

    #[test]
    fn every_word_fits_the_image() {
        for w in super::super::words::WORDS {
            let total: f32 = w.chars().map(advance).sum::<f32>() * 2.0 + 5.0;
            assert!(total > 0.0);
        }
    }
}
