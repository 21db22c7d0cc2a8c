//! `cairn serve`'s configuration: each setting from its flag or `CAIRN_…`
//! variable, else from a TOML file (`--config FILE`, `$CAIRN_CONFIG`, or
//! `serve.toml` in the platform config directory when it exists), else
//! cairn's default. `cairn serve --print-config` prints what is in force
//! and where each value came from.

use crate::units::Units;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What the file may say; a key it does not know is refused (a typo must
/// not be ignored silently).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeFile {
    pub data_dir: Option<PathBuf>,
    pub database: Option<String>,
    pub listen: Option<String>,
    pub units: Option<String>,
    pub tiles: Option<TilesFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TilesFile {
    pub url: String,
    pub attribution: String,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// Where a value came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A flag or its `CAIRN_…` variable.
    Given,
    File(PathBuf),
    Default,
}

/// The settings in force.
#[derive(Debug)]
pub struct ServeConfig {
    pub data_dir: (PathBuf, Origin),
    /// A PostgreSQL database (URL or libpq key=value string); `None`: the
    /// SQLite archive in the data directory.
    pub database: Option<(String, Origin)>,
    pub listen: (String, Origin),
    /// `None`: the archive's own setting.
    pub units: (Option<Units>, Origin),
    pub tiles: Option<((String, String), Origin)>,
}

/// What the command line and the environment gave.
pub struct Given<'a> {
    pub config: Option<&'a Path>,
    pub data_dir: Option<&'a Path>,
    pub database: Option<&'a str>,
    pub listen: Option<&'a str>,
    pub units: Option<Units>,
    pub tiles: Option<(&'a str, &'a str)>,
}

/// The file named, else the platform's `cairn/serve.toml` if there is one.
fn file_to_read(named: Option<&Path>) -> Option<PathBuf> {
    match named {
        Some(p) => Some(p.to_path_buf()),
        None => dirs::config_dir()
            .map(|d| d.join("cairn").join("serve.toml"))
            .filter(|p| p.is_file()),
    }
}

/// Reads and checks the file: a wrong one is named with what is wrong and
/// where (TOML's line and column).
pub fn read_file(path: &Path) -> Result<ServeFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the configuration {}", path.display()))?;
    toml::from_str(&text)
        .map_err(|e| crate::units::invalid(format!("the configuration {}: {e}", path.display())))
}

impl ServeConfig {
    /// Flags and variables first, then the file, then the defaults.
    pub fn resolve(given: &Given<'_>, default_data_dir: PathBuf) -> Result<ServeConfig> {
        let path = file_to_read(given.config);
        let file = match &path {
            Some(p) => read_file(p)?,
            None => ServeFile::default(),
        };
        let from_file = || Origin::File(path.clone().unwrap_or_default());
        let data_dir = match (given.data_dir, file.data_dir) {
            (Some(d), _) => (d.to_path_buf(), Origin::Given),
            (None, Some(d)) => (d, from_file()),
            (None, None) => (default_data_dir, Origin::Default),
        };
        let database = match (given.database, file.database) {
            (Some(d), _) => Some((d.to_string(), Origin::Given)),
            (None, Some(d)) => Some((d, from_file())),
            (None, None) => None,
        };
        let listen = match (given.listen, file.listen) {
            (Some(l), _) => (l.to_string(), Origin::Given),
            (None, Some(l)) => (l, from_file()),
            (None, None) => (DEFAULT_LISTEN.to_string(), Origin::Default),
        };
        let units = match (given.units, file.units) {
            (Some(u), _) => (Some(u), Origin::Given),
            (None, Some(text)) => {
                let u = Units::from_id(&text).ok_or_else(|| {
                    crate::units::invalid(format!(
                        "the configuration {}: units = \"{text}\": metric or imperial",
                        path.as_deref().unwrap_or(Path::new("")).display()
                    ))
                })?;
                (Some(u), from_file())
            }
            (None, None) => (None, Origin::Default),
        };
        let tiles = match (given.tiles, file.tiles) {
            (Some((u, a)), _) => Some(((u.to_string(), a.to_string()), Origin::Given)),
            (None, Some(t)) => Some(((t.url, t.attribution), from_file())),
            (None, None) => None,
        };
        Ok(ServeConfig {
            data_dir,
            database,
            listen,
            units,
            tiles,
        })
    }

    /// The settings in force as a TOML file would say them, each with
    /// where it came from: a file `--config` reads back as the same.
    pub fn to_toml(&self) -> String {
        let origin = |o: &Origin| match o {
            Origin::Given => "# from the command line or its CAIRN_… variable".to_string(),
            Origin::File(p) => format!("# from {}", p.display()),
            Origin::Default => "# cairn's default".to_string(),
        };
        let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = String::from("# cairn serve: the configuration in force\n");
        out.push_str(&format!(
            "{}\ndata_dir = {}\n",
            origin(&self.data_dir.1),
            quoted(&self.data_dir.0.display().to_string())
        ));
        match &self.database {
            Some((d, o)) => out.push_str(&format!(
                "{}\ndatabase = {}\n",
                origin(o),
                quoted(&redacted(d))
            )),
            None => out.push_str("# database: the SQLite archive in data_dir\n"),
        }
        out.push_str(&format!(
            "{}\nlisten = {}\n",
            origin(&self.listen.1),
            quoted(&self.listen.0)
        ));
        match self.units.0 {
            Some(u) => out.push_str(&format!(
                "{}\nunits = {}\n",
                origin(&self.units.1),
                quoted(u.id())
            )),
            None => out.push_str("# units: the archive's setting (cairn settings units …)\n"),
        }
        match &self.tiles {
            Some(((url, attribution), o)) => out.push_str(&format!(
                "{}\n[tiles]\nurl = {}\nattribution = {}\n",
                origin(o),
                quoted(url),
                quoted(attribution)
            )),
            None => out.push_str(
                "# [tiles]: none, so maps are drawn without tiles and nothing is fetched\n",
            ),
        }
        out
    }
}

/// A database address with its password replaced by `****`, so printing
/// the configuration never shows a secret (`postgres://u:pw@h/db` and
/// libpq's `password=pw` both).
pub fn redacted(address: &str) -> String {
    if let Some((scheme, rest)) = address.split_once("://") {
        if let Some((credentials, host)) = rest.split_once('@') {
            if let Some((user, _)) = credentials.split_once(':') {
                return format!("{scheme}://{user}:****@{host}");
            }
        }
        return address.to_string();
    }
    address
        .split_whitespace()
        .map(|kv| match kv.split_once('=') {
            Some(("password", _)) => "password=****".to_string(),
            _ => kv.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given<'a>(config: Option<&'a Path>) -> Given<'a> {
        Given {
            config,
            data_dir: None,
            database: None,
            listen: None,
            units: None,
            tiles: None,
        }
    }

    #[test]
    fn flags_win_over_the_file_which_wins_over_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("serve.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\nunits = \"imperial\"\n[tiles]\nurl = \"https://tiles.example/{z}/{x}/{y}.png\"\nattribution = \"© them\"\n",
        )
        .unwrap();
        let c = ServeConfig::resolve(&given(Some(&path)), PathBuf::from("/d")).unwrap();
        assert_eq!(
            c.listen,
            ("127.0.0.1:9000".into(), Origin::File(path.clone()))
        );
        assert_eq!(c.units.0, Some(Units::Imperial));
        assert_eq!(c.data_dir, (PathBuf::from("/d"), Origin::Default));
        let mut g = given(Some(&path));
        g.listen = Some("127.0.0.1:7000");
        let c2 = ServeConfig::resolve(&g, PathBuf::from("/d")).unwrap();
        assert_eq!(c2.listen, ("127.0.0.1:7000".into(), Origin::Given));
        // What --print-config prints reads back as the same settings.
        let printed = dir.path().join("printed.toml");
        std::fs::write(&printed, c.to_toml()).unwrap();
        let again =
            ServeConfig::resolve(&given(Some(&printed)), PathBuf::from("/elsewhere")).unwrap();
        assert_eq!(again.listen.0, c.listen.0);
        assert_eq!(again.units.0, c.units.0);
        assert_eq!(again.data_dir.0, PathBuf::from("/d"));
        assert_eq!(
            again.tiles.map(|t| t.0),
            Some((
                "https://tiles.example/{z}/{x}/{y}.png".into(),
                "© them".into()
            ))
        );
    }

    #[test]
    fn a_database_password_is_never_printed() {
        assert_eq!(
            redacted("postgres://cairn:s3cret@db.example:5432/club"),
            "postgres://cairn:****@db.example:5432/club"
        );
        assert_eq!(
            redacted("host=db user=cairn password=s3cret dbname=club"),
            "host=db user=cairn password=**** dbname=club"
        );
        assert_eq!(redacted("postgres://db/club"), "postgres://db/club");
        let mut g = given(None);
        g.database = Some("postgres://cairn:s3cret@db/club");
        let c = ServeConfig::resolve(&g, PathBuf::from("/d")).unwrap();
        let printed = c.to_toml();
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(
            printed.contains("database = \"postgres://cairn:****@db/club\""),
            "{printed}"
        );
    }

    #[test]
    fn a_wrong_file_is_named_with_what_is_wrong_and_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("serve.toml");
        for (text, says) in [
            ("listen = 8080\n", "line 1"),
            ("lisen = \"127.0.0.1:1\"\n", "unknown field `lisen`"),
            ("units = \"furlongs\"\n", "metric or imperial"),
            ("[tiles]\nurl = \"x\"\n", "missing field `attribution`"),
        ] {
            std::fs::write(&path, text).unwrap();
            let e = ServeConfig::resolve(&given(Some(&path)), PathBuf::from("/d"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(says), "{text:?}: {e}");
            assert!(e.contains("serve.toml"), "{e}");
        }
        let missing = dir.path().join("none.toml");
        let e = ServeConfig::resolve(&given(Some(&missing)), PathBuf::from("/d")).unwrap_err();
        assert!(format!("{e:#}").contains("none.toml"), "{e:#}");
    }
}
