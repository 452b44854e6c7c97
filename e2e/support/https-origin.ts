/**
 * A local HTTPS origin for browser tests that need a secure site (SameSite=None; Secure cookies,
 * `__Secure-` names): a throwaway self-signed certificate made at test time with the `openssl`
 * command (node:crypto makes keys but not certificates), and a small TLS reverse proxy in front of
 * a plain-HTTP `next start`, as a hosting platform terminates TLS in front of the app.
 *
 * Chromium is told to trust exactly this certificate with `--ignore-certificate-errors-spki-list`
 * (the SHA-256 of its public key): the origin then counts as secure, unlike a page whose
 * certificate errors are merely ignored.
 */
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export type ThrowawayCertificate = { key: string; cert: string; spkiSha256: string };

/** A P-256 key and a one-day self-signed certificate for `hostname`; nothing is left on disk. */
export function throwawayCertificate(hostname: string): ThrowawayCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), "e2e-tls-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        `/CN=${hostname}`,
        "-addext",
        `subjectAltName=DNS:${hostname}`,
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "pipe" },
    );
    const key = readFileSync(keyFile, "utf8");
    const cert = readFileSync(certFile, "utf8");
    const spki = new X509Certificate(cert).publicKey.export({ type: "spki", format: "der" });
    return { key, cert, spkiSha256: createHash("sha256").update(spki).digest("base64") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type TlsProxy = { port: number; setTarget(port: number): void; close(): Promise<void> };

/**
 * Listens with TLS on a free port of 127.0.0.1 and forwards every request to
 * http://127.0.0.1:<target> with the original Host and `x-forwarded-proto: https`. The target
 * can be named after the proxy is listening (the app must know the proxy's port before it starts).
 */
export async function startTlsProxy(certificate: ThrowawayCertificate): Promise<TlsProxy> {
  let target: number | undefined;
  const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    if (target === undefined) {
      res.writeHead(503).end();
      return;
    }
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: target,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-proto": "https", "x-forwarded-host": req.headers.host ?? "" },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setTarget: (port) => {
      target = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
