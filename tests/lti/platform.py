"""A learning platform simulated for the tests: its own RSA key pair, a JWKS, an OAuth2 token
endpoint, Names and Role Provisioning and Assignment and Grade Services, served on loopback
by a threading HTTP server that records every request it receives; and the signed launch and
deep-linking messages a real platform would post."""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://platform.example"
CLIENT_ID = "uneasy-allies-client"
DEPLOYMENT_ID = "deployment-1"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR = MEMBERSHIP + "Instructor"
LEARNER = MEMBERSHIP + "Learner"
TEACHING_ASSISTANT = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


def new_private_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(private_key) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@dataclass
class Platform:
    base_url: str
    key: object
    kid: str = "platform-key-1"
    received: list = field(default_factory=list)
    members: list = field(default_factory=list)
    lineitems: dict = field(default_factory=dict)
    scores: list = field(default_factory=list)
    fail_scores: int = 0  # answer this many score posts with a 503 first

    @property
    def jwks(self) -> dict:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    @property
    def openid_configuration(self) -> dict:
        """What Dynamic Registration reads: this platform as its own issuer."""
        return {
            "issuer": self.base_url,
            "authorization_endpoint": f"{self.base_url}/auth",
            "token_endpoint": f"{self.base_url}/token",
            "jwks_uri": f"{self.base_url}/jwks",
            "registration_endpoint": f"{self.base_url}/register",
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "simulated", "version": "1",
            },
        }

    @property
    def memberships_url(self) -> str:
        return f"{self.base_url}/nrps/course-1"

    @property
    def lineitems_url(self) -> str:
        return f"{self.base_url}/lineitems"

    def sign(self, claims: dict, *, key=None, kid=None) -> str:
        return jwt.encode(
            claims, pem(key or self.key), algorithm="RS256", headers={"kid": kid or self.kid}
        )

    def claims(self, *, nonce: str, sub: str, roles, message_type="LtiResourceLinkRequest",
               custom=None, resource_link_id="link-1", lineitem=None, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "given_name": sub.title(),
            "family_name": "Tester",
            "name": f"{sub.title()} Tester",
            "email": f"{sub}@school.example",
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT_ID,
            LTI + "target_link_uri": "http://testserver/lti/launch/",
            LTI + "roles": list(roles),
            LTI + "context": {"id": "course-1", "label": "KOR101", "title": "Korea 101",
                              "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
            LTI + "launch_presentation": {
                "document_target": "iframe",
                "return_url": "https://school.platform.example/course/1",
            },
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": self.memberships_url,
                "service_versions": ["2.0"],
            },
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": AGS_SCOPES,
                "lineitems": self.lineitems_url,
                **({"lineitem": lineitem} if lineitem else {}),
            },
        }
        if message_type == "LtiResourceLinkRequest":
            claims[LTI + "resource_link"] = {"id": resource_link_id, "title": "The activity"}
        else:
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.base_url}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "data": "opaque-platform-data",
            }
        if custom:
            claims[LTI + "custom"] = custom
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}


def _handler(platform: Platform):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body, content_type="application/json", headers=()):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _record(self, body=None):
            platform.received.append({
                "method": self.command, "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"), "body": body,
            })

        def do_GET(self):
            self._record()
            path = urlsplit(self.path).path
            if path == "/jwks":
                return self._send(200, platform.jwks)
            if path == "/nrps/course-1":
                return self._send(200, {"id": path, "context": {"id": "course-1"},
                                        "members": platform.members},
                                  "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
            if path == "/lineitems":
                return self._send(200, list(platform.lineitems.values()))
            if path == "/.well-known/openid-configuration":
                return self._send(200, platform.openid_configuration)
            return self._send(404, {})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            path = urlsplit(self.path).path
            if path == "/token":
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                self._record(form)
                return self._send(200, {"access_token": "token-" + uuid.uuid4().hex,
                                        "token_type": "Bearer", "expires_in": 3600})
            body = json.loads(raw) if raw else None
            self._record(body)
            if path == "/lineitems":
                number = len(platform.lineitems) + 1
                item = {**body, "id": f"{platform.base_url}/lineitems/{number}"}
                platform.lineitems[item["id"]] = item
                return self._send(201, item)
            if path == "/register":
                return self._send(200, {
                    **body, "client_id": "dynamic-client",
                    "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                        **body["https://purl.imsglobal.org/spec/lti-tool-configuration"],
                        "deployment_id": "dynamic-deployment",
                    },
                })
            if path.startswith("/lineitems/") and path.endswith("/scores"):
                if platform.fail_scores > 0:
                    platform.fail_scores -= 1
                    return self._send(503, {"error": "try later"})
                platform.scores.append({"lineitem": path.removesuffix("/scores"), **body})
                return self._send(200, {})
            return self._send(404, {})

    return Handler


def serve_platform():
    """Start the platform on a free loopback port; returns (platform, stop)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    platform = Platform(base_url=f"http://127.0.0.1:{server.server_port}", key=new_private_key())
    server.RequestHandlerClass = _handler(platform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return platform, stop
