//! Argon2id password hashing on tokio's blocking pool, with a bound on how many hashes run at
//! once so a storm of logins queues instead of starving token checks of CPU.

use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use jitsu_core::Password;
use tokio::sync::Semaphore;

use crate::error::AppError;

/// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
pub const M_COST_KIB: u32 = 19_456;
/// Passes.
pub const T_COST: u32 = 2;
/// Lanes.
pub const P_COST: u32 = 1;

/// Hashes and verifies account passwords.
#[derive(Debug, Clone)]
pub(crate) struct Passwords {
    params: Params,
    permits: Arc<Semaphore>,
    /// A hash of nothing in particular, verified when the account does not exist so the
    /// answer takes as long as for a real account.
    dummy: Arc<str>,
}

impl Passwords {
    /// A hasher at the OWASP parameters running at most `parallel` hashes at once.
    pub(crate) fn new(parallel: usize) -> Result<Self, AppError> {
        let params = Params::new(M_COST_KIB, T_COST, P_COST, None)
            .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
        let dummy = hash_with(&params, "not a password of anyone")?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(parallel.max(1))),
            dummy: dummy.into(),
        })
    }

    /// The PHC string of a new password.
    pub(crate) async fn hash(&self, password: Password) -> Result<String, AppError> {
        let params = self.params.clone();
        self.blocking(move || hash_with(&params, password.expose()))
            .await?
    }

    /// Whether `password` matches `phc`; with no stored hash, spends the same time and fails.
    pub(crate) async fn verify(
        &self,
        password: Password,
        phc: Option<String>,
    ) -> Result<bool, AppError> {
        let params = self.params.clone();
        let dummy = self.dummy.clone();
        self.blocking(move || {
            let target = phc.as_deref().unwrap_or(&dummy);
            let ok = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .verify_password(password.expose().as_bytes(), target)
                .is_ok();
            ok && phc.is_some()
        })
        .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::Internal(format!("password task: {e}")))
    }
}

fn hash_with(params: &Params, password: &str) -> Result<String, AppError> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}
