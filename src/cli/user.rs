//! `broadsheet user add EMAIL --name NAME --role ROLE`; the password comes from standard input,
//! never from the command line, where other users of the machine could read it.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::Subcommand;

use super::Context;
use crate::accounts::users::{self, Role};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff user; the password is read from standard input
    Add {
        /// The user's e-mail address, used to log in
        email: String,
        /// The name shown to colleagues
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: Role,
    },
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Repeat password: ")?;
        anyhow::ensure!(first == again, "the passwords do not match");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

pub async fn run(ctx: &Context, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add { email, name, role } => {
            let password = read_password()?;
            let (db, _) = ctx.open().await?;
            let id = users::create(&db, &email, &name, role, &password).await?;
            println!(
                "added {} ({}) as {}, user #{id}",
                email.trim().to_lowercase(),
                name.trim(),
                role.as_str()
            );
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}
