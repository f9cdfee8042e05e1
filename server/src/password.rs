//! Argon2id password hashing on tokio's blocking pool, with a bound on how many hashes run at
//! once (so a storm of logins queues instead of starving token checks of CPU) and on how many
//! wait (so the queue cannot grow without end: beyond it, 503 at once).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use jitsu_core::Password;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, Limited};
use crate::ServerError;

/// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
pub const M_COST_KIB: u32 = 19_456;
/// Passes.
pub const T_COST: u32 = 2;
/// Lanes.
pub const P_COST: u32 = 1;

/// Hashes and verifies account passwords.
///
/// Hashes run on `parallel` threads of their own (not tokio's blocking pool, which grows to
/// hundreds of threads, each keeping a 19 MiB Argon2 block in its malloc arena), and at most
/// `queue` more wait. A request first takes a place with [`Passwords::admit`] (refused at once
/// with 503 when the queue is full), then hashes with it. The place is owned by the job, so a
/// client that disconnects cannot free it while its hash still runs; a job whose request is
/// gone before its turn is skipped.
#[derive(Debug, Clone)]
pub(crate) struct Passwords {
    params: Params,
    /// Places: running plus waiting.
    places: Arc<Semaphore>,
    /// Places held per client address (entries only while held).
    per_client: Arc<Mutex<HashMap<IpAddr, usize>>>,
    /// Places one client address may hold.
    client_share: usize,
    /// The hashing threads' job queue (they end when the last sender is dropped).
    jobs: mpsc::Sender<Job>,
    /// Hashes started (for the tests that prove a request costs none).
    started: Arc<AtomicU64>,
    /// A hash of nothing in particular, verified when the account does not exist so the
    /// answer takes as long as for a real account.
    dummy: Arc<str>,
}

/// A place in the password queue, taken by [`Passwords::admit`] before anything is counted or
/// hashed; it is given back when the hash it is used for ends (or when it is dropped unused).
#[derive(Debug)]
pub(crate) struct Admission {
    _permit: OwnedSemaphorePermit,
    _client: ClientShare,
}

/// One client address's share of the queue (`Settings::password_checks_per_address` places at
/// once), so a client, even with accounts and the right passwords, cannot keep the queue full
/// for others.
#[derive(Debug)]
struct ClientShare {
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
    key: IpAddr,
}

impl Drop for ClientShare {
    fn drop(&mut self) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = held.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.remove(&self.key);
            }
        }
    }
}

/// Work for a hashing thread.
type Job = Box<dyn FnOnce() + Send>;

/// Seconds a client is told to wait when the password queue is full.
pub(crate) const BUSY_RETRY_AFTER: u64 = 2;

impl Passwords {
    /// A hasher at the OWASP parameters running at most `parallel` hashes at once, with at
    /// most `queue` more waiting.
    pub(crate) fn new(
        parallel: usize,
        queue: usize,
        client_share: usize,
    ) -> Result<Self, ServerError> {
        let setup = |e: String| ServerError::Setup(format!("password hashing: {e}"));
        let params =
            Params::new(M_COST_KIB, T_COST, P_COST, None).map_err(|e| setup(e.to_string()))?;
        let dummy = hash_with(&params, "not a password of anyone").map_err(|e| match e {
            AppError::Internal(detail) => setup(detail),
            other => setup(other.to_string()),
        })?;
        let parallel = parallel.max(1);
        let (jobs, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..parallel {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("jitsu-argon2-{i}"))
                .spawn(move || loop {
                    let job = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => break,
                    }
                })
                .map_err(|e| setup(format!("cannot start a hashing thread: {e}")))?;
        }
        Ok(Self {
            params,
            places: Arc::new(Semaphore::new(parallel + queue)),
            per_client: Arc::new(Mutex::new(HashMap::new())),
            client_share: client_share.max(1),
            jobs,
            started: Arc::new(AtomicU64::new(0)),
            dummy: dummy.into(),
        })
    }

    /// Takes a place in the password queue for a request from `client` (an address key):
    /// 429 when that client holds its share of places already, 503 with `Retry-After` when
    /// the queue is full.
    pub(crate) fn admit(&self, client: IpAddr) -> Result<Admission, AppError> {
        let share = {
            let mut held = self.per_client.lock().unwrap_or_else(|p| p.into_inner());
            let n = held.entry(client).or_insert(0);
            if *n >= self.client_share {
                return Err(AppError::TooManyRequests {
                    retry_after: 1,
                    what: Limited::PasswordChecksInFlight,
                });
            }
            *n += 1;
            ClientShare {
                held: self.per_client.clone(),
                key: client,
            }
        };
        let permit = self
            .places
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::Busy {
                retry_after: BUSY_RETRY_AFTER,
            })?;
        Ok(Admission {
            _permit: permit,
            _client: share,
        })
    }

    /// The PHC string of a new password.
    pub(crate) async fn hash(
        &self,
        place: Admission,
        password: Password,
    ) -> Result<String, AppError> {
        let params = self.params.clone();
        self.blocking(place, move || hash_with(&params, password.expose()))
            .await?
    }

    /// Whether `password` matches `phc`; with no stored hash, spends the same time and fails.
    pub(crate) async fn verify(
        &self,
        place: Admission,
        password: Password,
        phc: Option<String>,
    ) -> Result<bool, AppError> {
        let params = self.params.clone();
        let dummy = self.dummy.clone();
        self.blocking(place, move || {
            let target = phc.as_deref().unwrap_or(&dummy);
            let ok = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .verify_password(password.expose().as_bytes(), target)
                .is_ok();
            ok && phc.is_some()
        })
        .await
    }

    /// Queues `work` for the hashing threads and waits for its result. The place moves into
    /// the job: it is released when the work ends (or is skipped), not when this future is
    /// dropped.
    async fn blocking<T: Send + 'static>(
        &self,
        place: Admission,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let started = self.started.clone();
        let job: Job = Box::new(move || {
            // Nobody waits any more (the client went away while queued): skip the hash.
            if !done.is_closed() {
                started.fetch_add(1, Ordering::Relaxed);
                let _ = done.send(work());
            }
            drop(place);
        });
        self.jobs
            .send(job)
            .map_err(|_| AppError::Internal("the hashing threads have stopped".to_owned()))?;
        result
            .await
            .map_err(|_| AppError::Internal("a password job ended without a result".to_owned()))
    }

    /// Hashes started since the server started.
    pub(crate) fn started(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }
}

fn hash_with(params: &Params, password: &str) -> Result<String, AppError> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

#[cfg(test)]
mod tests {
    use super::Passwords;
    use crate::error::AppError;
    use jitsu_core::Password;
    use std::net::{IpAddr, Ipv4Addr};
    use std::time::{Duration, Instant};

    const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[tokio::test]
    async fn a_hash_keeps_its_place_after_its_request_is_dropped() {
        let p = Passwords::new(1, 0, 10).unwrap();
        let place = p.admit(CLIENT).unwrap();
        let checker = p.clone();
        let request = tokio::spawn(async move {
            checker
                .verify(place, Password::new("some password"), None)
                .await
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        while p.started() == 0 {
            assert!(Instant::now() < deadline, "the hash never started");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // The client goes away while its hash runs: the place is still taken.
        request.abort();
        let _ = request.await;
        assert!(matches!(p.admit(CLIENT), Err(AppError::Busy { .. })));
        // It comes back when the hash ends.
        while p.admit(CLIENT).is_err() {
            assert!(Instant::now() < deadline, "the place never came back");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[test]
    fn one_client_holds_at_most_its_share_of_places() {
        let p = Passwords::new(1, 10, 2).unwrap();
        let a = p.admit(CLIENT).unwrap();
        let _b = p.admit(CLIENT).unwrap();
        assert!(matches!(
            p.admit(CLIENT),
            Err(AppError::TooManyRequests { .. })
        ));
        assert!(p.admit(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))).is_ok());
        drop(a);
        assert!(p.admit(CLIENT).is_ok());
    }

    #[test]
    fn a_client_share_freed_by_one_place_is_not_reset() {
        let p = Passwords::new(1, 10, 2).unwrap();
        let a = p.admit(CLIENT).unwrap();
        let _b = p.admit(CLIENT).unwrap();
        drop(a);
        let _c = p.admit(CLIENT).unwrap();
        assert!(
            matches!(p.admit(CLIENT), Err(AppError::TooManyRequests { .. })),
            "two places are held again"
        );
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_no_other_does() {
        let p = Passwords::new(1, 4, 4).unwrap();
        assert_eq!(p.started(), 0);
        let phc = p
            .hash(p.admit(CLIENT).unwrap(), Password::new("correct horse"))
            .await
            .unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert_eq!(p.started(), 1);
        let check = |password: &str, phc: Option<String>| {
            let place = p.admit(CLIENT).unwrap();
            p.verify(place, Password::new(password), phc)
        };
        assert!(check("correct horse", Some(phc.clone())).await.unwrap());
        assert!(!check("correct horsf", Some(phc)).await.unwrap());
        assert!(!check("correct horse", None).await.unwrap());
        assert_eq!(p.started(), 4);
    }
}
