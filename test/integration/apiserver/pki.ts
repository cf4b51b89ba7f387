import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../process.js';

/**
 * The key material a throwaway API server needs, made with openssl: a CA, a serving
 * certificate for 127.0.0.1 signed by it (so kubectl verifies TLS instead of skipping it),
 * and an RSA key pair that signs and verifies service-account tokens (the server refuses to
 * start without one).
 */
export interface Pki {
  caCert: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  const result = await run('openssl', args, { cwd });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
}

export async function createPki(dir: string): Promise<Pki> {
  const file = (name: string) => join(dir, name);
  writeFileSync(file('serving.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=krmkit-test-ca'], dir);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'serving.key', '-out', 'serving.csr', '-subj', '/CN=127.0.0.1'], dir);
  await openssl(['x509', '-req', '-in', 'serving.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'serving.crt', '-days', '2', '-extfile', 'serving.ext'], dir);
  await openssl(['genrsa', '-out', 'service-account.key', '2048'], dir);
  await openssl(['rsa', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub'], dir);
  return {
    caCert: file('ca.crt'),
    servingCert: file('serving.crt'),
    servingKey: file('serving.key'),
    serviceAccountKey: file('service-account.key'),
    serviceAccountPublicKey: file('service-account.pub'),
  };
}
