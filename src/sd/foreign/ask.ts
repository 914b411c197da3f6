import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** Whether a connector may ask at the terminal for what it lacks, and the environment it reads. */
export interface Asking {
  interactive?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** A question on the terminal (stderr), the answer hidden when it is a password or token. */
export async function ask(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => resolve(answer));
      muted = hidden;
    });
  } finally {
    if (hidden) process.stderr.write('\n');
    rl.close();
  }
}
