//! `/admin`: where a staff member lands after logging in.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::{AppError, AppState};

pub async fn show(
    State(state): State<AppState>,
    Staff(session): Staff,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    chrome.render(
        &state,
        "admin/dashboard.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
        },
    )
}
