//! `GET /forum`: the boards.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::discussion::boards;
use crate::web::chrome::Chrome;
use crate::web::{AppError, AppState};

pub async fn show(State(state): State<AppState>, chrome: Chrome) -> Result<Html<String>, AppError> {
    let boards = boards::list(&state.db).await?;
    chrome.render(
        &state,
        "forum/index.html",
        context! { boards => Value::from(Serde(&boards)) },
    )
}
