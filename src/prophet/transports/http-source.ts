import { HttpClient, httpBase, HttpError, type HttpOptions } from './http-fetch.js';
import { packRangeQuery } from './pack.js';
import { PublishedSource } from './published-source.js';

/** A replica published on any static web host, or served live by `prophet server`. */
export class HttpSource extends PublishedSource {
  constructor(
    url: string,
    opts: HttpOptions = {},
    readonly client = new HttpClient(httpBase(url), opts),
  ) {
    super({
      description: client.shown(''),
      read: (path, limit, range) =>
        client.get(path, limit, range && packRangeQuery(range)).then(
          (found) => ({ found }),
          (err: unknown) => {
            if (err instanceof HttpError && err.status === 404) return { absent: 'is missing' as const };
            throw err;
          },
        ),
      where: (path) => client.shown(path),
    });
  }
}
