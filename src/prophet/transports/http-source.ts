import { HttpClient, httpBase, HttpError, type HttpOptions } from './http-fetch.js';
import { PublishedSource } from './published-source.js';

/** A replica published on any static web host, or served live by `prophet server`. */
export class HttpSource extends PublishedSource {
  constructor(
    url: string,
    opts: HttpOptions = {},
    readonly client = new HttpClient(httpBase(url), opts),
  ) {
    super({
      description: client.base.href,
      text: (path) => client.text(path),
      bytes: (path) => client.bytes(path),
      where: (path) => client.url(path).href,
      isMissing: (err) => err instanceof HttpError && err.status === 404,
    });
  }
}
