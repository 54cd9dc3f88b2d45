//! Where the desktop app may send passwords and patient records.

use crate::ValidationError;

/// A clinic server address as the app will use it: `https://host[:port]`,
/// or `http://` only to this PC itself (a demo or a server on the same
/// machine). Plain http across the clinic network would carry passwords and
/// patient records in clear, so it is refused.
pub fn parse_server_url(raw: &str) -> Result<String, ValidationError> {
    let url = raw.trim().trim_end_matches('/');
    let refuse = |message: &str| Err(ValidationError::new("server_url", message));
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostname = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
    };
    if hostname.is_empty() || url.contains(char::is_whitespace) || host.contains('@') {
        return refuse("Enter an address such as https://clinic.example.in");
    }
    let this_pc = hostname == "localhost" || hostname == "::1" || hostname.starts_with("127.");
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if this_pc => Ok(url.to_owned()),
        "http" => refuse(
            "Use https:// for a clinic server: plain http:// would send passwords and records unencrypted \
             over the network.",
        ),
        _ => refuse("Enter an address such as https://clinic.example.in"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_https_except_on_this_pc() {
        for ok in [
            "https://clinic.example.in",
            "https://clinic.example.in:8443/",
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:8080",
            " HTTPS://Clinic.Example.in ",
        ] {
            assert!(parse_server_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            parse_server_url("https://clinic.example.in/").as_deref(),
            Ok("https://clinic.example.in")
        );
        for bad in [
            "http://192.168.1.10:8080",
            "http://clinic.lan",
            "http://localhost.evil.example",
            "http://127.0.0.1@evil.example",
            "ftp://clinic.example.in",
            "clinic.example.in",
            "https://",
            "https://clinic example.in",
        ] {
            assert!(parse_server_url(bad).is_err(), "{bad}");
        }
        let message = parse_server_url("http://clinic.lan")
            .expect_err("plain http")
            .message;
        assert!(message.contains("https://"), "{message}");
    }
}
