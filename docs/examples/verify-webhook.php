<?php
// Verifies a Telenexus status webhook with PHP's standard library alone (no composer): for billing
// systems that cannot add a package. It is the Standard Webhooks check, as the spec defines it and
// the official libraries perform it. Prefer the official library where you can install one.
//
// In a web handler:
//   $body = file_get_contents('php://input');
//   $headers = array_change_key_case(getallheaders(), CASE_LOWER);
//   if (!telenexus_webhook_verified(getenv('TELENEXUS_WEBHOOK_SECRET'), $headers, $body)) {
//       http_response_code(400);
//       exit;
//   }
//   http_response_code(204); // then handle json_decode($body, true), deduping on $headers['webhook-id']
//
// From the command line (the way its test runs it):
//   php verify-webhook.php 'whsec_…' headers.json body.txt   → prints "verified" (exit 0) or "refused" (exit 1)

/** True when the headers carry a v1 signature of the raw body by the secret, signed within 5 minutes. */
function telenexus_webhook_verified(string $secret, array $headers, string $body, ?int $now = null): bool
{
    foreach (['webhook-id', 'webhook-timestamp', 'webhook-signature'] as $name) {
        if (!isset($headers[$name]) || !is_string($headers[$name])) return false;
    }
    $timestamp = $headers['webhook-timestamp'];
    if (!ctype_digit($timestamp) || abs(($now ?? time()) - (int) $timestamp) > 300) return false;
    $key = base64_decode(preg_replace('/^whsec_/', '', $secret), true);
    if ($key === false) return false;
    $signed = $headers['webhook-id'] . '.' . $timestamp . '.' . $body;
    $expected = base64_encode(hash_hmac('sha256', $signed, $key, true));
    // During a secret rotation there are two entries, one per secret: either may match.
    foreach (explode(' ', $headers['webhook-signature']) as $entry) {
        $parts = explode(',', $entry, 2);
        if (count($parts) === 2 && $parts[0] === 'v1' && hash_equals($expected, $parts[1])) return true;
    }
    return false;
}

if (PHP_SAPI === 'cli' && isset($argv) && realpath($argv[0]) === __FILE__) {
    if (count($argv) !== 4) {
        fwrite(STDERR, "usage: php verify-webhook.php <whsec_secret> <headers.json> <body file>\n");
        exit(2);
    }
    $headers = array_change_key_case(json_decode(file_get_contents($argv[2]), true) ?? [], CASE_LOWER);
    $verified = telenexus_webhook_verified($argv[1], $headers, file_get_contents($argv[3]));
    echo $verified ? "verified\n" : "refused\n";
    exit($verified ? 0 : 1);
}
