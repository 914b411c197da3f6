/**
 * A mistyped option, command or record type is an error that names the
 * likely intent, never data: `--stauts closed` must not store a property.
 */
import { describe, expect, it } from 'vitest';
import { oneLine, sandboxesRemovedAfterEach } from '../helpers.js';
import { createdId, sdUserWithReplica } from '../../sd/sd-cli.js';

describe('sd: property options are limited to known properties', () => {
  it('refuses --stauts with a suggestion and stores nothing', () => {
    const user = sdUserWithReplica();
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'first']));
    const r = user.sd(['ticket', 'update', luid, '--stauts', 'closed']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --stauts');
    expect(r.stderr).toContain('did you mean --status?');
    expect(oneLine(r.stderr, 'sd')).toBe(true);
    const props = JSON.parse(user.ok(['ticket', 'show', luid, '--json'])).props as Record<string, string>;
    expect(props.stauts).toBeUndefined();
    expect(props.status).toBe('new');
  });

  it('still sets known properties as options, and any property after --', () => {
    const user = sdUserWithReplica();
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'first', '--owner', 'bob@example.com']));
    user.ok(['ticket', 'update', luid, '--status', 'open', '--', 'severity=high']);
    // A property the record has is known from then on.
    user.ok(['ticket', 'update', '--severity', 'low', luid]);
    const props = JSON.parse(user.ok(['ticket', 'show', luid, '--json'])).props as Record<string, string>;
    expect(props).toMatchObject({ status: 'open', owner: 'bob@example.com', severity: 'low' });
  });

  it('never asks a flag for a value', () => {
    const user = sdUserWithReplica();
    const r = user.sd(['ticket', 'create', '--summary', 'x', '--dry-run']);
    expect(r.stderr).not.toContain('needs a value');
    expect(r.stderr).toContain('unknown option --dry-run');
    expect(user.sd(['ticket', 'list', '--no-pager']).code).toBe(0);
    expect(user.sd(['ticket', 'list', '--no-color']).code).toBe(0);
  });
});

describe('mistyped commands and types get "did you mean"', () => {
  it('suggests the command for sd', () => {
    const user = sdUserWithReplica();
    expect(user.sd(['lgo']).stderr).toContain("'lgo' is not a sd command (did you mean log?)");
    expect(user.sd(['ticket', 'lsit']).stderr).toContain('(did you mean list?)');
    const r = user.sd(['tiket', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean ticket?');
  });

  it('takes the plural of a type', () => {
    const user = sdUserWithReplica();
    user.ok(['ticket', 'create', '--summary', 'plural']);
    expect(user.ok(['tickets', 'list'])).toContain('plural');
  });

  const sandbox = sandboxesRemovedAfterEach();
  it('suggests the command and the option for prophet', () => {
    const box = sandbox();
    box.ok(['init']);
    expect(box.fails(['shwo', '1']).stderr).toContain('did you mean show?');
    expect(box.fails(['log', '--lmit', '2']).stderr).toContain('did you mean --limit?');
  });
});
