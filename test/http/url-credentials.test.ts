import { describe, expect, it } from 'vitest';
import { redactUrls } from '../../src/prophet/model/redact.js';
import { redactUrl, splitCredentials } from '../../src/prophet/transports/url-credentials.js';

describe('credentials in replica URLs', () => {
  it('are masked in a URL and in any text that echoes one', () => {
    expect(redactUrl(new URL('http://alice:hunter2@host/x/'))).toBe('http://alice:***@host/x/');
    expect(redactUrl(new URL('https://ghp_token@host/'))).toBe('https://***@host/');
    expect(redactUrl(new URL('http://host/'))).toBe('http://host/');
    expect(redactUrls("could not pull from prophet:http://alice:p%40ss@h:80/a and https://tok@h/: 'x'")).toBe(
      "could not pull from prophet:http://alice:***@h:80/a and https://***@h/: 'x'",
    );
    expect(redactUrls('mail alice@example.com, see http://host/a@b')).toBe('mail alice@example.com, see http://host/a@b');
    // A password holding '@' is masked whole: user information runs to the last '@' before the host.
    expect(redactUrls('GET http://alice:p@ss@host:8/x')).toBe('GET http://alice:***@host:8/x');
    // A usage message's placeholders stay readable.
    expect(redactUrls('give --store postgres://USER@HOST/DATABASE or postgres://USER:PASSWORD@HOST/DATABASE')).toBe('give --store postgres://USER@HOST/DATABASE or postgres://USER:PASSWORD@HOST/DATABASE');
  });

  it('leave the URL for the request and travel as Basic authentication', () => {
    const { url, authorization } = splitCredentials(new URL('http://alice:p%40ss@host/r/'));
    expect(url.href).toBe('http://host/r/');
    expect(authorization).toBe(`Basic ${Buffer.from('alice:p@ss').toString('base64')}`);
    expect(splitCredentials(new URL('http://host/')).authorization).toBeUndefined();
  });
});
