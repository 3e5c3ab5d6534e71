"""Run deploy/nginx.conf (the compose deployment's server block) against a local directory."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

SERVER_BLOCK = Path(__file__).parents[1] / "deploy" / "nginx.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def start_nginx(public_dir: Path, port: int, workdir: Path) -> subprocess.Popen:
    """nginx in the foreground with the deployment's server block, on 127.0.0.1:``port``."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed")
    workdir.mkdir(parents=True, exist_ok=True)
    server = SERVER_BLOCK.read_text()
    server = re.sub(r"listen \d+;", f"listen 127.0.0.1:{port};", server)
    server = re.sub(r"root [^;]+;", f"root {public_dir};", server)
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
{server}
}}
"""
    )
    # As root, nginx would switch its workers to "nobody", who may not read the directory.
    user = "user root;" if os.geteuid() == 0 else ""
    return subprocess.Popen(
        [binary, "-p", str(workdir), "-c", str(conf), "-g", f"daemon off; {user}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
