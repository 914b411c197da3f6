import type { CliApp } from '../../prophet/index.js';

/** What `sd` alone prints: a short map of the commands and how to start, not every command. */
export function sdOverview(app: CliApp): string {
  return `${app.name} ${app.version}: a peer-to-peer bug tracker that works offline (built on Prophet)

Try it on a throwaway database:   sd demo

Start your own:
  export SD_REPO=~/mybugs           (default ~/.sd)
  sd init --email you@example.com

Tickets:      sd ticket create --summary "..."   sd ticket list   sd ticket show ID
              sd ticket update ID -- status=open   sd ticket resolve ID   sd ticket comment ID
              sd ticket attachment create ID -f FILE
Sharing:      sd publish DIR   sd clone URL   sd pull URL   sd push URL   sd server
Everything:   sd log   sd settings   sd config   sd aliases   sd version
At hand:      sd shell (a prompt with history)   source <(sd completion bash)

sd help TOPIC for more (intro, tickets, comments, attachments, search, sync, ...);
sd help COMMAND or sd COMMAND --help for a command's usage.`;
}
