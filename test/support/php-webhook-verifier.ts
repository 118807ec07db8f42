import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedWebhook } from './standard-webhook-verifier';

/** The README's PHP example for receivers that cannot install a package (PHP's standard library only). */
export const PHP_VERIFIER = join(__dirname, '..', '..', 'docs', 'examples', 'verify-webhook.php');

/**
 * Whether `docs/examples/verify-webhook.php`, run by `php` with the secret, the POST's headers and
 * its raw body, accepts the POST ("verified", exit 0) or refuses it ("refused", exit 1).
 */
export async function phpVerifies(secret: string, post: ReceivedWebhook): Promise<boolean> {
  const scratch = mkdtempSync(join(tmpdir(), 'telenexus-php-webhook-'));
  try {
    writeFileSync(join(scratch, 'headers.json'), JSON.stringify(post.headers));
    writeFileSync(join(scratch, 'body'), post.rawBody);
    const args = [PHP_VERIFIER, secret, join(scratch, 'headers.json'), join(scratch, 'body')];
    return await new Promise<boolean>((resolve, reject) => {
      execFile('php', args, (error, stdout, stderr) => {
        const code = error ? error.code : 0;
        if (code === 0 && stdout === 'verified\n') resolve(true);
        else if (code === 1 && stdout === 'refused\n') resolve(false);
        else reject(new Error(`php verify-webhook.php failed (exit ${String(code)}): ${stdout}${stderr}`));
      });
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
