//! A throw-away PostgreSQL cluster for the store tests: `initdb` into a temporary directory and
//! `pg_ctl start` on a free loopback port, run as the `postgres` user when the tests run as root.
//! Without PostgreSQL binaries the tests that need it say so and are skipped, except when `CI` is
//! set: there they fail.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

/// A running cluster; stopped when dropped.
pub struct PgCluster {
    bin: PathBuf,
    dir: TempDir,
    as_postgres: bool,
    /// The URL of its `postgres` database.
    pub url: String,
}

fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

impl PgCluster {
    fn run(&self, program: &str, args: &[&str]) -> bool {
        let program = self.bin.join(program);
        let status = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .status()
        } else {
            Command::new(&program).args(args).status()
        };
        status.is_ok_and(|s| s.success())
    }

    /// Starts a cluster, or `None` (with a notice) when PostgreSQL is not installed; panics then
    /// when `CI` is set.
    pub fn start() -> Option<PgCluster> {
        let Some(bin) = find_bin() else {
            // In CI a missing PostgreSQL is a broken set-up, never a reason to pass.
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but PostgreSQL is not installed under /usr/lib/postgresql (scripts/setup.sh installs it)"
            );
            eprintln!(
                "NOTICE: PostgreSQL binaries not found under /usr/lib/postgresql; skipping the PostgreSQL store test (scripts/setup.sh installs them)"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("a temp dir");
        let as_postgres = is_root();
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(status.success(), "chown of the cluster directory");
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let data = dir.path().join("data");
        let cluster = PgCluster {
            bin,
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir,
            as_postgres,
        };
        let data_arg = data.to_string_lossy().into_owned();
        assert!(
            cluster.run(
                "initdb",
                &[
                    "-D",
                    &data_arg,
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8"
                ]
            ),
            "initdb failed"
        );
        let socket_dir = cluster.dir.path().to_string_lossy().into_owned();
        let options =
            format!("-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off");
        let log = cluster
            .dir
            .path()
            .join("log")
            .to_string_lossy()
            .into_owned();
        assert!(
            cluster.run(
                "pg_ctl",
                &["-D", &data_arg, "-o", &options, "-l", &log, "-w", "start"]
            ),
            "pg_ctl start failed; see {log}"
        );
        Some(cluster)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data").to_string_lossy().into_owned();
        self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}
