//! `jitsu login`, `logout`, `whoami` and `signup`.

use jitsu_core::protocol::{
    self, check_status, parse_auth, parse_available, parse_created, Operation,
};
use jitsu_core::{validate_email, validate_password, Credentials, Password, TokenName, Username};

use crate::app::App;
use crate::error::CliError;

/// Attempts a person gets to type the right password.
const LOGIN_TRIES: u32 = 3;

const USERNAME_HINT: &str = "pass it as an argument: jitsu login <username>";

/// `jitsu login`: checks the password with `GET /auth` (three tries when a person types it),
/// then creates the token named `apiTokenName` with it and stores username, token and token
/// name. The password is never written anywhere.
pub(crate) fn login(app: &mut App, username: Option<String>) -> Result<Username, CliError> {
    let tries = if app.prompter.is_interactive() {
        LOGIN_TRIES
    } else {
        1
    };
    let mut last_err = None;
    for _ in 0..tries {
        let default = app.conf.config.username()?.map(str::to_owned);
        let name = match &username {
            Some(u) => u.clone(),
            None => app
                .prompter
                .line(&app.out, "username", default.as_deref(), USERNAME_HINT)?,
        };
        let user = match Username::parse(&name) {
            Ok(u) => u,
            // A name typed at the prompt can be typed again; one given as an argument cannot.
            Err(e) if tries > 1 && username.is_none() => {
                app.out.error(e.to_string());
                last_err = Some(CliError::Name(e));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let password = app.prompter.password(&app.out)?;
        let answer = app.send(&protocol::auth(
            &user,
            &Credentials::Password(password.clone()),
        ))?;
        match check_status(answer.status, &answer.body) {
            Ok(()) => return finish_login(app, &user, password),
            Err(e) if e.status() == Some(401) => {
                if tries > 1 {
                    app.out.error(format!(
                        "Unable to authenticate as {user}: wrong username or password"
                    ));
                }
                last_err = Some(CliError::Api(e));
            }
            Err(e) => return Err(e.into()),
        }
    }
    // A script gets the server's own error; a person who failed three times gets the summary.
    Err(match last_err {
        Some(e) if tries == 1 => e,
        _ => CliError::ThreeFailedLogins,
    })
}

/// Creates the login token with a checked password and stores it.
fn finish_login(app: &mut App, user: &Username, password: Password) -> Result<Username, CliError> {
    let token_name = TokenName::parse(app.conf.config.api_token_name()?)?;
    let answer = app.send(&protocol::create_token(
        user,
        &token_name,
        &Credentials::Password(password),
    ))?;
    let created = parse_created(answer.status, &answer.body)?;
    if created.operation == Operation::Update {
        app.out.warn(format!(
            "The token {} of {user} was renewed: other machines that logged in with it must run jitsu login again",
            created.name
        ));
    }
    app.conf.config.login(user, &created.name, &created.token);
    app.conf.save()?;
    app.out.info(format!("Authenticated as {user}"));
    Ok(user.clone())
}

/// The configured user, logging in first when there is none (as every token command does).
pub(crate) fn ensure_user(app: &mut App) -> Result<Username, CliError> {
    if let Some(user) = app.configured_user()? {
        return Ok(user);
    }
    app.out.info("You are not logged in: log in first");
    login(app, None)
}

/// `jitsu logout [--revoke]`.
pub(crate) fn logout(app: &mut App, revoke: bool) -> Result<(), CliError> {
    let mut revoke_err = None;
    if revoke {
        match app.configured_user()? {
            None => app
                .out
                .warn("No username is configured: there is no token to revoke"),
            Some(user) => {
                let name = TokenName::parse(app.conf.config.api_token_name()?)?;
                app.out.info(format!("Revoking token {name} for {user}"));
                if let Err(e) = revoke_token(app, &user, &name) {
                    revoke_err = Some(e);
                }
            }
        }
    }
    app.conf.config.logout();
    app.conf.save()?;
    app.out.info("User has been logged out");
    match revoke_err {
        Some(e) => {
            app.out.warn(
                "The token was NOT revoked on the server: destroy it with jitsu tokens destroy",
            );
            Err(e)
        }
        None => Ok(()),
    }
}

fn revoke_token(app: &mut App, user: &Username, name: &TokenName) -> Result<(), CliError> {
    let password = app.prompter.password(&app.out)?;
    let answer = app.send(&protocol::destroy_token(
        user,
        name,
        &Credentials::Password(password),
    ))?;
    protocol::parse_destroyed(answer.status, &answer.body)?;
    app.out.info(format!("Token {name} Destroyed!"));
    Ok(())
}

/// `jitsu whoami`: asks the server who the configured credentials are.
pub(crate) fn whoami(app: &mut App) -> Result<(), CliError> {
    let user = app.configured_user()?.ok_or(CliError::NotLoggedIn)?;
    let credentials = match (
        app.conf.config.password()?,
        app.conf.config.api_token_parsed()?,
    ) {
        // A password left in the file by the original jitsu wins, as it did there.
        (Some(p), _) => Credentials::Password(Password::new(p)),
        (None, Some(t)) => Credentials::Token(t),
        (None, None) => return Err(CliError::NotLoggedIn),
    };
    let answer = app.send(&protocol::auth(&user, &credentials))?;
    let info = parse_auth(answer.status, &answer.body)?;
    app.out.data_with(
        format!("You are: {}", info.username),
        serde_json::to_value(&info).unwrap_or_default(),
    );
    if let Some(token) = &info.token_name {
        app.out
            .info(format!("Authenticated with the token {token}"));
    }
    Ok(())
}

/// `jitsu signup [<username> [<email>]]`: creates the account, then logs in to it.
pub(crate) fn signup(
    app: &mut App,
    username: Option<String>,
    email: Option<String>,
) -> Result<(), CliError> {
    let name = match username {
        Some(u) => u,
        None => app.prompter.line(
            &app.out,
            "username",
            None,
            "pass it as an argument: jitsu signup <username> <email>",
        )?,
    };
    let user = Username::parse(&name)?;
    let email = match email {
        Some(e) => e,
        None => app.prompter.line(
            &app.out,
            "email",
            None,
            "pass it as an argument: jitsu signup <username> <email>",
        )?,
    };
    validate_email(&email)?;
    let password = new_password(app)?;

    let answer = app.send(&protocol::available(&user))?;
    if !parse_available(answer.status, &answer.body)? {
        return Err(CliError::Usage(format!(
            "The username {user} is taken — choose another one"
        )));
    }
    app.out.info(format!("Creating account {user}"));
    let answer = app.send(&protocol::signup(&user, &email, &password))?;
    check_status(answer.status, &answer.body)?;
    app.out.info(format!("Account {user} created"));
    finish_login(app, &user, password).map(|_| ())
}

/// A new password: typed twice by a person, or taken from the non-interactive source.
fn new_password(app: &mut App) -> Result<Password, CliError> {
    loop {
        let password = app.prompter.password(&app.out)?;
        if let Err(e) = validate_password(password.expose()) {
            if app.prompter.is_interactive() {
                app.out.error(e.to_string());
                continue;
            }
            return Err(e.into());
        }
        if !app.prompter.is_interactive() {
            return Ok(password);
        }
        let again = app.prompter.secret(&app.out, "confirm password")?;
        if again == password {
            return Ok(password);
        }
        app.out
            .error("The passwords do not match — type them again");
    }
}
