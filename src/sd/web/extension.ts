import type { ServerExtension } from '../../prophet/index.js';

/** Where the UI lives on the server; Prophet's own routes keep the rest. */
export const UI_BASE = '/ui';

/** SD's web UI on Prophet's server; its code is loaded when a server starts, not by every `sd` command. */
export const sdWebUi: ServerExtension = {
  prefix: UI_BASE,
  home: `${UI_BASE}/`,
  async register(app, ctx) {
    const { registerUi } = await import('./routes.js');
    await registerUi(app, ctx, UI_BASE);
  },
};
