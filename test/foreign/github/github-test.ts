import { afterEach, beforeEach, expect } from 'vitest';
import { startFakeGitHub, type FakeGitHubServer } from './fake-server.js';

/** The token the tests' SD uses, and the GitHub user it stands for. */
export const TOKEN = 'ghp_SdTestToken0123456789abcdefABCDEF';
export const BOT = 'sd-bot';

/**
 * A fresh fake GitHub for each test (it costs milliseconds), with the token
 * known and `owner/repo` created; after the test, every answer it gave must
 * have matched GitHub's OpenAPI description.
 */
export function useFakeGitHub(...repos: string[]): () => FakeGitHubServer {
  let fake: FakeGitHubServer | undefined;
  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addToken(TOKEN, BOT);
    for (const repo of repos) fake.state.createRepo(repo);
  });
  afterEach(async () => {
    const violations = fake?.violations ?? [];
    await fake?.close();
    fake = undefined;
    expect(violations, 'answers of the fake that GitHub would not give').toEqual([]);
  });
  return () => fake!;
}

/** The environment that points sd at the fake, with the token. */
export function githubEnv(fake: FakeGitHubServer, token: string | null = TOKEN): NodeJS.ProcessEnv {
  return { GITHUB_API_URL: fake.url, ...(token === null ? {} : { GITHUB_TOKEN: token }) };
}

/** Request lines, for messages: `GET /repos/o/r/issues?... 304`. */
export function requestLines(fake: FakeGitHubServer): string[] {
  return fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
}
