//! What each image holds once it runs, as data: its environment, working directory, main
//! process and the processes it starts, its files, the programs it ships, and what it
//! answers on which port. The in-container shell and the cluster's network read this
//! table; no image has a code path of its own.

/// What a container's server answers to `GET /`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The workshop's `index.php`: `getenv("GREETING") . " " . gethostname() . "\n"`.
    GreetingAndHostname,
    /// A static file of the image (nginx's welcome page).
    File(&'static str),
}

/// One process of the image as `ps` shows it: pid, parent pid, user, command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub ppid: u32,
    pub user: &'static str,
    pub cmd: &'static str,
}

/// Everything the simulation knows about one image's contents.
#[derive(Clone, Copy, Debug)]
pub struct ImageSpec {
    /// The normalised repository (`docker.io/library/nginx`), matched with any tag.
    pub repository: &'static str,
    /// `ENV` lines of the image and its base images, in `docker inspect` order.
    pub env: &'static [(&'static str, &'static str)],
    /// `WORKDIR`: where `kubectl exec` commands start.
    pub workdir: &'static str,
    /// PID 1 first, then the processes it starts.
    pub processes: &'static [Process],
    /// Files of the image (absolute path, contents).
    pub files: &'static [(&'static str, &'static str)],
    /// Programs on the image's `PATH` besides the shell builtins.
    pub tools: &'static [&'static str],
    /// The TCP port its server listens on, and what it answers there.
    pub serves: Option<(u16, Answer)>,
}

/// The debian `PATH` the official images set.
const DEBIAN_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Programs a Debian-based image ships (coreutils, procps where installed, curl ...).
const DEBIAN_TOOLS: &[&str] = &[
    "bash", "sh", "cat", "ls", "echo", "env", "printenv", "hostname", "sleep", "kill", "getent",
    "grep", "head", "tail", "wc", "sort", "uniq", "cut", "seq", "base64", "xargs", "awk", "tee",
    "pwd", "mkdir", "rm", "touch", "true", "false", "test", "[", "which", "clear",
];

/// The workshop's `index.php` (chapter 5's own four lines, re-typed from its description).
const DEMO_INDEX_PHP: &str =
    "<?php\necho getenv(\"GREETING\") . \" \" . gethostname() . \"\\n\";\n?>\n";

/// nginx's `docs/html/index.html` as released up to 1.21.1 (612 bytes).
pub const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// nginx's `docs/html/50x.html` as released up to 1.21.1 (494 bytes).
const NGINX_50X: &str = "<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
";

/// `demo:1.0.0` = `php:8.0.1-apache` (Debian buster) + `index.php` + `ENV GREETING`.
/// Apache's prefork MPM starts five servers (`StartServers 5`) under PID 1.
const DEMO: ImageSpec = ImageSpec {
    repository: "docker.io/library/demo",
    env: &[
        ("PATH", DEBIAN_PATH),
        ("PHP_INI_DIR", "/usr/local/etc/php"),
        ("APACHE_CONFDIR", "/etc/apache2"),
        ("APACHE_ENVVARS", "/etc/apache2/envvars"),
        ("PHP_EXTRA_BUILD_DEPS", "apache2-dev"),
        ("PHP_EXTRA_CONFIGURE_ARGS", "--with-apxs2 --disable-cgi"),
        ("PHP_VERSION", "8.0.1"),
        (
            "PHP_URL",
            "https://www.php.net/distributions/php-8.0.1.tar.xz",
        ),
        (
            "PHP_ASC_URL",
            "https://www.php.net/distributions/php-8.0.1.tar.xz.asc",
        ),
        ("GREETING", "Hello from"),
    ],
    workdir: "/var/www/html",
    processes: &[
        Process {
            pid: 1,
            ppid: 0,
            user: "root",
            cmd: "apache2 -DFOREGROUND",
        },
        Process {
            pid: 16,
            ppid: 1,
            user: "www-data",
            cmd: "apache2 -DFOREGROUND",
        },
        Process {
            pid: 17,
            ppid: 1,
            user: "www-data",
            cmd: "apache2 -DFOREGROUND",
        },
        Process {
            pid: 18,
            ppid: 1,
            user: "www-data",
            cmd: "apache2 -DFOREGROUND",
        },
        Process {
            pid: 19,
            ppid: 1,
            user: "www-data",
            cmd: "apache2 -DFOREGROUND",
        },
        Process {
            pid: 20,
            ppid: 1,
            user: "www-data",
            cmd: "apache2 -DFOREGROUND",
        },
    ],
    files: &[("/var/www/html/index.php", DEMO_INDEX_PHP)],
    tools: &[
        "bash", "sh", "cat", "ls", "echo", "env", "printenv", "hostname", "sleep", "kill",
        "getent", "grep", "head", "tail", "wc", "sort", "uniq", "cut", "seq", "base64", "xargs",
        "awk", "tee", "pwd", "mkdir", "rm", "touch", "true", "false", "test", "[", "which",
        "clear", "curl", "ps", "apache2", "php",
    ],
    serves: Some((80, Answer::GreetingAndHostname)),
};

/// `nginx` (1.21.1 on Debian buster, what `latest` was in July 2021): no procps.
const NGINX: ImageSpec = ImageSpec {
    repository: "docker.io/library/nginx",
    env: &[
        ("PATH", DEBIAN_PATH),
        ("NGINX_VERSION", "1.21.1"),
        ("NJS_VERSION", "0.6.1"),
        ("PKG_RELEASE", "1~buster"),
    ],
    workdir: "/",
    processes: &[
        Process {
            pid: 1,
            ppid: 0,
            user: "root",
            cmd: "nginx: master process nginx -g daemon off;",
        },
        Process {
            pid: 31,
            ppid: 1,
            user: "nginx",
            cmd: "nginx: worker process",
        },
        Process {
            pid: 32,
            ppid: 1,
            user: "nginx",
            cmd: "nginx: worker process",
        },
    ],
    // No procps in the nginx image: `ps` and `/bin/kill` are missing (bash's `kill` works).
    files: &[
        ("/usr/share/nginx/html/50x.html", NGINX_50X),
        ("/usr/share/nginx/html/index.html", NGINX_WELCOME),
    ],
    tools: &[
        "bash", "sh", "cat", "ls", "echo", "env", "printenv", "hostname", "sleep", "getent",
        "grep", "head", "tail", "wc", "sort", "uniq", "cut", "seq", "base64", "xargs", "awk",
        "tee", "pwd", "mkdir", "rm", "touch", "true", "false", "test", "[", "which", "clear",
        "curl", "nginx",
    ],
    serves: Some((80, Answer::File("/usr/share/nginx/html/index.html"))),
};

/// Any other image: a Debian-like userland that serves nothing.
const OTHER: ImageSpec = ImageSpec {
    repository: "",
    env: &[("PATH", DEBIAN_PATH)],
    workdir: "/",
    processes: &[Process {
        pid: 1,
        ppid: 0,
        user: "root",
        cmd: "sleep infinity",
    }],
    files: &[],
    tools: DEBIAN_TOOLS,
    serves: None,
};

/// CoreDNS: built `FROM scratch`, one static binary, no shell, no tools.
const COREDNS: ImageSpec = ImageSpec {
    repository: "k8s.gcr.io/coredns/coredns",
    env: &[("PATH", DEBIAN_PATH)],
    workdir: "/",
    processes: &[Process {
        pid: 1,
        ppid: 0,
        user: "root",
        cmd: "/coredns -conf /etc/coredns/Corefile",
    }],
    files: &[],
    tools: &[],
    serves: None,
};

/// The sandbox's pause container: `FROM scratch` as well.
const PAUSE: ImageSpec = ImageSpec {
    repository: "k8s.gcr.io/pause",
    env: &[("PATH", DEBIAN_PATH)],
    workdir: "/",
    processes: &[Process {
        pid: 1,
        ppid: 0,
        user: "root",
        cmd: "/pause",
    }],
    files: &[],
    tools: &[],
    serves: None,
};

const IMAGES: &[ImageSpec] = &[DEMO, NGINX, COREDNS, PAUSE];

/// The spec of `image` (any spelling containerd normalises), or the generic one.
pub fn spec(image: &str) -> &'static ImageSpec {
    let normalized = super::super::images::normalize(image);
    let repo = normalized
        .split('@')
        .next()
        .unwrap_or("")
        .rsplit_once(':')
        .map_or(normalized.as_str(), |(r, _)| r);
    IMAGES
        .iter()
        .find(|s| s.repository == repo)
        .unwrap_or(&OTHER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_welcome_page_is_the_612_byte_one() {
        assert_eq!(NGINX_WELCOME.len(), 612);
        assert_eq!(NGINX_50X.len(), 494);
    }

    #[test]
    fn images_are_found_by_any_spelling() {
        assert_eq!(spec("demo:1.0.0").workdir, "/var/www/html");
        assert_eq!(spec("nginx").repository, "docker.io/library/nginx");
        assert_eq!(
            spec("docker.io/library/nginx:1.21").repository,
            "docker.io/library/nginx"
        );
        assert!(spec("busybox").serves.is_none());
    }
}
