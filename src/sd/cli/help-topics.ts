/**
 * `sd help TOPIC` pages. Each names the real config keys and variables
 * (the original's help had drifted from the code; reference §11).
 */
const TOPICS: Record<string, string> = {
  intro: `SD is a bug tracker that lives on your disk and syncs with your peers.

Start a database and tell SD who you are:
  export SD_REPO=~/mybugs          # where the database lives (default ~/.sd)
  sd init --email you@example.com  # on a terminal, sd init asks instead

Then:
  sd ticket create --summary "Can't sync sd with Google Code" --status new
  sd ticket list                   # active tickets
  sd ticket show 1                 # properties, attachments, history
  sd help tickets                  # more

Try everything on a throwaway database first: sd demo`,
  tickets: `Tickets
  sd ticket create [-e] [-v] --summary TEXT [--status S ...]   (no properties: opens $EDITOR)
  sd ticket update ID -- status=open owner=bob@example.com      (no properties: opens $EDITOR)
  sd ticket show ID [--all-props] [--skip-history] [--with-history] [--batch]
  sd ticket basics ID | details ID | history ID
  sd ticket resolve ID [-e]      (also: close) sets status closed
  sd ticket claim ID             (also: take) makes you the owner
  sd ticket give ID EMAIL        (also: assign)
  sd ticket delete ID [--with-comments | --keep-comments]

Any property may be set. status, milestone and component must be in the
settings' lists (sd settings); end a value with ! to use it anyway
(status=blocked!). "resolved" is stored as "closed". due takes dates in
words: --due "next friday". Ids are local ids (1), uuids or uuid prefixes.
Show hides history when config ticket.no-implicit-history-display is true.`,
  comments: `Comments
  sd ticket comment ID [-m TEXT | -f FILE]    (neither: opens $EDITOR)
  sd ticket comments ID
  sd ticket comment update COMMENT-ID [-m TEXT | -f FILE | -- content="..."]
  sd ticket comment show COMMENT-ID
  sd ticket comment list [TICKET-ID]`,
  attachments: `Attachments
  sd ticket attachment create TICKET-ID -f FILE    (or --content TEXT, or standard input)
  sd ticket attachment list [TICKET-ID]
  sd ticket attachment show ATTACHMENT-ID
  sd ticket attachment content ATTACHMENT-ID > FILE   (the exact bytes)
  sd ticket attachment update ATTACHMENT-ID -- name=NEW

Any file is stored byte for byte (base64 in the content property), with its
name, size and a content type detected from its bytes and name.`,
  search: `Listing and searching tickets
  sd ticket list                       active tickets (status in active_statuses)
  sd ticket search crash               tickets, or their comments or attachment names, holding the word; best first
  sd ticket search '"login screen" is:active owner:me'
  sd ticket search 'status:new,open -component:docs due:<2027-01-01 created:>=7d'
  sd ticket search 'has:attachment summary~/^\\[ui\\]/i sort:-created limit:20'
  sd ticket search 'owner:me is:active' --save mine     then: sd ticket list --saved mine
  sd ticket list -- status=closed owner=~alice   the older filters (= != <> ne =~ !~)
  sd ticket list --sort PROP --group PROP        (none turns a default off)

Words: no stemming, case and accents ignored, word* for a prefix, -word to
exclude. prop:a,b is an exact value; -prop:x negates; < <= > >= compare
numbers, dates (2027-01-31) and ages (12h 7d 2w 1y). A query starting with
- goes in --query=... Saved searches are config search.NAME. The whole
language: docs/search.md. Config: ticket.default-sort,
ticket.default-group, ticket.PROP.sort-undef-last, ticket.summary-format
(see sd help summary-format).`,
  'summary-format': `ticket.summary-format (config) sets how list lines look:
  sd config ticket.summary-format '%s,$luid | %-40.40s,summary | %s,status,yellow'
Atoms are separated by |; each is FORMAT,PROPERTY[,COLOUR]. PROPERTY may be
$luid or $uuid. FORMAT is printf-like (%s, %-10s, %.20s). Colours show only
on a terminal. Default: %s,$luid | %s,summary | %s,status`,
  sync: `Sharing tickets
  sd publish DIR                 write a copy others can pull (a folder or web host)
  sd clone URL                   start a replica from another one
  sd pull URL|NAME               bring in changes (prophet:http://host/path works)
  sd push URL|NAME               send your changes
  sd sync                        pull from every configured replica, then push to each
  sd server [--port N]           serve this replica over HTTP

Foreign trackers are replicas too (rt:http://host|Queue|,
fossil:/path/repo.fossil, fossil:http://host/repo); sd foreign show NAME
prints how their statuses, priorities and users map to SD's.

Conflicting edits are detected, resolved and the resolution travels with
the changes, so every replica ends up the same.`,
  history: `History
  sd ticket history ID           every change to a ticket, with its comments
  sd ticket show ID              the same, after the ticket's properties
  sd log [RANGE]                 the replica's changesets (RANGE: N, LATEST~K, A..B)
Each change is marked with what its signature is worth: [verified],
[unsigned], [signed by an unknown key ...] (sd help trust).`,
  trust: `Signed changes and trust
Every change you make is signed with your key (made on first need, kept in
~/.config/prophet/keys/, never in a replica); history marks each change
[verified], [unsigned], [bad signature]...
  sd key show [--public]         your key; --public prints the line peers trust
  sd key rotate                  a new key, the old one revoked
  sd trust list                  the keys this replica knows, trusted or not
  sd trust add FINGERPRINT|FILE  trust a key (a fingerprint, or a --public line in a file)
  sd trust remove FINGERPRINT    stop trusting it
  sd trust require               take only changes signed by trusted keys
  sd trust optional              take any change (the default)
  sd trust revoke FINGERPRINT    revoke one of your own keys
PROPHET_SIGNING=off or config user.signing false turns signing off.`,
  environment: `Environment
  SD_REPO           the replica directory (default ~/.sd)
  SD_CONFIG         one config file instead of /etc/sdrc, ~/.sdrc, $SD_REPO/config
  PROPHET_EMAIL, EMAIL   who you are, when config user.email-address is unset
  PROPHET_SIGNING   off: your changes are not signed (sd help trust)
  VISUAL, EDITOR    the editor for templates
  PAGER             the pager for long output on a terminal (default less)
  PROPHET_BUSY_TIMEOUT_MS   how long a change waits for another sd writing
                    the same replica (default 30000)`,
  config: `Configuration (never synced): /etc/sdrc, ~/.sdrc, then $SD_REPO/config.
  sd config                      show it
  sd config KEY VALUE            set it in the replica's file (--user: ~/.sdrc)
Keys: user.email-address, ticket.summary-format, ticket.common-props,
ticket.default-sort, ticket.default-group, ticket.no-implicit-history-display,
core.cli-line-length, alias.WORDS, replica.NAME.url`,
  aliases: `Aliases
  sd aliases                     list them
  sd alias "mine" "ticket list -- owner=you@example.com"`,
  settings: `Settings are synced with the database:
  statuses, active_statuses, default_status, milestones, default_milestone,
  components, default_component, project_name, common_ticket_props,
  prop_descriptions.
  sd settings                    show them
  sd settings set statuses '["new","open","blocked","closed"]'
  sd settings edit`,
  about: `SD ("simple defects") is a peer-to-peer bug tracker built on Prophet,
a replicated, versioned property database. Originally by Jesse Vincent and
Chia-liang Kao (2008); this is a TypeScript re-implementation.`,
  copying: `SD is free software under the MIT licence: you may use, copy, modify and
distribute it, provided the copyright notice and this permission notice are
included. It comes with no warranty.`,
};

const ALIASES: Record<string, string> = {
  init: 'intro', ticket: 'tickets', comment: 'comments', attach: 'attachments', attachment: 'attachments', attachs: 'attachments',
  list: 'search', find: 'search', 'ticket.summary-format': 'summary-format', ticket_summary_format: 'summary-format',
  env: 'environment', setting: 'settings', alias: 'aliases', log: 'history', push: 'sync', pull: 'sync', publish: 'sync',
  server: 'sync', clone: 'sync', author: 'about', authors: 'about', key: 'trust', keys: 'trust', signature: 'trust', signatures: 'trust', signing: 'trust',
};

export const HELP_TOPICS = Object.keys(TOPICS);

/** The page a topic word names exactly (`tickets`, `sync`), or undefined. */
export function exactTopic(words: string[]): string | undefined {
  return TOPICS[words.join(' ').toLowerCase()];
}

/** The page a looser word leads to (`pull` → sync), for words that name no command. */
export function relatedTopic(words: string[]): string | undefined {
  const word = words.join(' ').toLowerCase();
  if (ALIASES[word]) return TOPICS[ALIASES[word]!];
  if (/^(ticket|attachment|comment) (list|search|find)$/.test(word)) return TOPICS.search;
  return undefined;
}
