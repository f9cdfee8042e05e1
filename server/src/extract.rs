//! Request parts read with our own rules and our own error answers.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use jitsu_core::{TokenName, Username};
use serde::de::DeserializeOwned;

use crate::error::AppError;

async fn path_params<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<HashMap<String, String>, AppError> {
    Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map(|Path(p)| p)
        .map_err(|e| AppError::BadRequest(format!("bad path: {}", e.body_text())))
}

fn username(params: &HashMap<String, String>) -> Result<Username, AppError> {
    let raw = params
        .get("username")
        .ok_or_else(|| AppError::BadRequest("the path has no username".to_owned()))?;
    Ok(Username::parse(raw)?)
}

/// The `:username` of the path, validated by core's rules (400 otherwise).
#[derive(Debug)]
pub(crate) struct UserParam(pub(crate) Username);

impl<S: Send + Sync> FromRequestParts<S> for UserParam {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let params = path_params(parts, state).await?;
        Ok(Self(username(&params)?))
    }
}

/// The `:username` and `:name` of a token path, both validated (400 otherwise).
#[derive(Debug)]
pub(crate) struct TokenParams(pub(crate) Username, pub(crate) TokenName);

impl<S: Send + Sync> FromRequestParts<S> for TokenParams {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let params = path_params(parts, state).await?;
        let user = username(&params)?;
        let raw = params
            .get("name")
            .ok_or_else(|| AppError::BadRequest("the path has no token name".to_owned()))?;
        Ok(Self(user, TokenName::parse(raw)?))
    }
}

/// Parses a JSON body (400 with the parser's reason otherwise).
pub(crate) fn json<T: DeserializeOwned>(body: &Bytes) -> Result<T, AppError> {
    serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("request body is not the expected JSON: {e}")))
}

/// Checks an optional body: empty, or a JSON object (the original clients send `{}`).
pub(crate) fn empty_object(body: &Bytes) -> Result<(), AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    json::<serde_json::Map<String, serde_json::Value>>(body).map(drop)
}
