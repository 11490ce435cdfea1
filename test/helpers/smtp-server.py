"""A real SMTP server on 127.0.0.1 for the e-mail channel's tests: Debian's python3-aiosmtpd.

Usage: /usr/bin/python3 smtp-server.py CERT KEY USER PASSWORD

Listens on three ports, each printed in the first line of standard output as JSON:
  starttls  STARTTLS required before anything else; AUTH LOGIN/PLAIN only once encrypted, and
            required before MAIL
  tls       TLS from the first byte (RFC 8314); AUTH required
  plain     no TLS at all; AUTH offered over the clear link (a local relay), not required

A recipient whose local part is "defer<N>" is answered "451" its first N times, then accepted;
"reject..." is answered "550". Every message received is printed as a JSON line:
  {"event": "message", "server": ..., "from": ..., "to": [...], "login": ..., "tls": ...,
   "data": the raw message, "subject": decoded, "headerNames": [...], "text": ..., "html": ...}
The server stops when standard input closes (the test ends).
"""

import asyncio
import email
import email.policy
import json
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def emit(line):
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


class Handler:
    def __init__(self, name):
        self.name = name
        self.deferred = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: no such mailbox here" % address
        if local.startswith("defer"):
            times = int(local[5:] or "1")
            seen = self.deferred.get(address, 0)
            if seen < times:
                self.deferred[address] = seen + 1
                return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Read back as a mail client reads it: headers decoded (RFC 2047), each part decoded.
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)

        def part(kind):
            body = parsed.get_body((kind,))
            return body.get_content() if body is not None else None

        emit(
            {
                "event": "message",
                "server": self.name,
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "login": session.auth_data.login.decode() if session.authenticated else None,
                "tls": session.ssl is not None or self.name == "tls",
                "data": envelope.content.decode("utf8", "replace"),
                "subject": str(parsed["subject"]),
                "headerNames": list(parsed.keys()),
                "text": part("plain"),
                "html": part("html"),
            }
        )
        return "250 2.0.0 Message accepted for delivery"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        good = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode() == user and auth_data.password.decode() == password
        )
        if good:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")

    return check


async def main():
    cert, key, user, password = sys.argv[1:5]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    auth = authenticator(user, password)
    loop = asyncio.get_running_loop()
    kinds = {
        "starttls": dict(tls_context=context, require_starttls=True, auth_required=True),
        # aiosmtpd counts only STARTTLS as encryption: on a link encrypted from the start, AUTH
        # is allowed by saying so.
        "tls": dict(auth_required=True, auth_require_tls=False),
        "plain": dict(auth_require_tls=False),
    }
    ports = {}
    for name, options in kinds.items():
        handler = Handler(name)
        server = await loop.create_server(
            lambda h=handler, o=options: SMTP(h, hostname="localhost", authenticator=auth, **o),
            host="127.0.0.1",
            port=0,
            ssl=context if name == "tls" else None,
        )
        ports[name] = server.sockets[0].getsockname()[1]
    emit({"event": "ready", "ports": ports})
    await loop.connect_read_pipe(lambda: EndOnEof(loop), sys.stdin)
    await asyncio.Event().wait()


class EndOnEof(asyncio.Protocol):
    def __init__(self, loop):
        self.loop = loop

    def eof_received(self):
        self.loop.stop()

    def connection_lost(self, exc):
        self.loop.stop()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except RuntimeError:
        # loop.stop() ends asyncio.run before its coroutine: the ordinary way out here.
        pass
