import { ProphetError, redactUrls } from '../../../prophet/index.js';

/** `redmine:http(s)://host[:port][/path]/projects/IDENTIFIER`, split. */
export interface RedmineUrl {
  /** The server's base URL, without credentials, ending in '/'. */
  server: string;
  /** The project's identifier (`sd-smoke`), as in its web address. */
  project: string;
}

const HINT = "expected redmine:http://host[:port][/path]/projects/IDENTIFIER, e.g. 'redmine:https://redmine.example.com/projects/website' (the project's address in the browser)";

export function parseRedmineUrl(url: string): RedmineUrl {
  const m = /^redmine:(https?:\/\/.+?)\/projects\/([^/?#]+)\/?(?:[?#].*)?$/is.exec(url.trim());
  if (!m) throw new ProphetError(`'${redactUrls(url)}' is not a Redmine project URL: ${HINT}`, 'usage');
  let parsed: URL;
  try {
    parsed = new URL(`${m[1]!}/`);
  } catch {
    throw new ProphetError(`'${redactUrls(m[1]!)}' is not a valid web address: ${HINT}`, 'usage');
  }
  if (parsed.username || parsed.password) {
    throw new ProphetError(`a Redmine URL carries no credentials ('${redactUrls(url)}'): give the API key as REDMINE_API_KEY, at the prompt, or in the credentials file`, 'usage');
  }
  parsed.search = '';
  parsed.hash = '';
  return { server: parsed.href, project: decodeURIComponent(m[2]!) };
}
