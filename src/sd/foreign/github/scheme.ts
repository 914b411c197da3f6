import { foreignScheme, type Scheme } from '../../../prophet/index.js';

/** `github:owner/repo`: a GitHub repository's issues as a replica (GITHUB_API_URL for GitHub Enterprise). */
export const githubScheme: Scheme = foreignScheme({
  name: 'github',
  // The connector's code loads when a command syncs with the tracker, not with every command.
  connect: async (url, opts) => (await import('./connect.js')).connectGithub(url, opts),
});
