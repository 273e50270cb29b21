//! Extractors whose rejections are our [`AppError`], so that a malformed URL gets the site's
//! 400 page rather than a bare text response.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppError;

/// Path parameters.
pub struct PathParams<T>(pub T);

impl<S, T> FromRequestParts<S> for PathParams<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(value) = Path::<T>::from_request_parts(parts, state).await?;
        Ok(PathParams(value))
    }
}

/// Query-string parameters.
pub struct QueryParams<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryParams<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(QueryParams(value))
    }
}

/// `?page=N` for paginated lists.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
}

/// The largest page number we look at; beyond it nothing can exist.
pub const MAX_PAGE: i64 = 1_000_000;

impl PageQuery {
    /// The page number, 1 when absent; a clear 400 for anything but a whole number ≥ 1.
    pub fn number(&self) -> Result<i64, AppError> {
        let Some(text) = self.page.as_deref() else {
            return Ok(1);
        };
        match text.trim().parse::<i64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(AppError::BadRequest(format!(
                "`page` must be a whole number from 1, not `{}`.",
                text.chars().take(40).collect::<String>()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<i64, AppError> {
        PageQuery {
            page: Some(text.into()),
        }
        .number()
    }

    #[test]
    fn page_numbers() {
        assert_eq!(PageQuery::default().number().unwrap(), 1);
        assert_eq!(page("3").unwrap(), 3);
        assert!(page("0").is_err());
        assert!(page("-2").is_err());
        assert!(page("two").is_err());
        assert!(page("99999999999999999999999").is_err());
    }
}
