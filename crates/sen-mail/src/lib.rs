//! Outgoing e-mail. With an SMTP URL configured (`smtp://user:pass@host:587`
//! for STARTTLS, `smtps://…:465` for TLS, `smtp://host:25?tls=none` on a
//! trusted network) messages go to that server; without one they are written
//! as `.eml` files to an outbox directory and logged, so flows such as a
//! password reset work out of the box and an operator can read what was sent.

use lettre::message::{header::ContentType, Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad e-mail address {0:?}")]
    Address(String),
    #[error("bad SMTP URL: {0}")]
    Url(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("the SMTP server refused or could not be reached: {0}")]
    Smtp(String),
    #[error("cannot write to the outbox: {0}")]
    Outbox(#[from] std::io::Error),
}

/// One plain-text message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

enum Transport {
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    Outbox(PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// Sends through the SMTP server at `url`.
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url(e.to_string()))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        Ok(Self {
            transport: Transport::Smtp(Box::new(transport)),
            from: mailbox(from)?,
        })
    }

    /// Writes each message to `dir` (created when needed).
    pub fn outbox(dir: PathBuf, from: &str) -> Result<Self, MailError> {
        Ok(Self {
            transport: Transport::Outbox(dir),
            from: mailbox(from)?,
        })
    }

    /// Where messages go, for logs (never a password).
    pub fn description(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".into(),
            Transport::Outbox(dir) => format!("outbox {}", dir.display()),
        }
    }

    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(mailbox(&mail.to)?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| MailError::Build(e.to_string()))?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message)
                    .await
                    .map_err(|e| MailError::Smtp(e.to_string()))?;
                tracing::info!(to = %mail.to, subject = %mail.subject, "mail sent");
            }
            Transport::Outbox(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
                    uuid::Uuid::new_v4().simple()
                );
                let path = dir.join(name);
                // Written whole, then renamed: a reader never sees half a message.
                let partial = path.with_extension("part");
                tokio::fs::write(&partial, message.formatted()).await?;
                tokio::fs::rename(&partial, &path).await?;
                tracing::info!(to = %mail.to, subject = %mail.subject, file = %path.display(), "mail written to the outbox");
            }
        }
        Ok(())
    }
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .parse()
        .map_err(|_| MailError::Address(address.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_outbox_keeps_whole_messages_in_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::outbox(
            dir.path().join("outbox"),
            "Cổng dữ liệu <no-reply@data.gov.vn>",
        )
        .unwrap();
        mailer
            .send(&Mail {
                to: "mai@sokhdt.gov.vn".into(),
                subject: "Đặt lại mật khẩu".into(),
                body: "Xin chào chị Mai,\nđường dẫn: http://x/y".into(),
            })
            .await
            .unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(text.contains("To: mai@sokhdt.gov.vn"), "{text}");
        assert!(
            text.contains("Subject: =?utf-8?"),
            "the subject is encoded: {text}"
        );
    }

    #[test]
    fn bad_addresses_and_urls_are_refused() {
        assert!(matches!(
            Mailer::outbox(PathBuf::from("x"), "not an address"),
            Err(MailError::Address(_))
        ));
        assert!(matches!(
            Mailer::smtp("http://example", "a@b.vn"),
            Err(MailError::Url(_))
        ));
    }
}
