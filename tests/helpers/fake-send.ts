import { act } from "preact/test-utils";
import type { Send } from "../../popup/api.js";
import type { MessageType, Messages } from "../../src/protocol.js";

/** A fake background for popup and options tests: answers from `answers`, records every call. */
export function fakeSend(
  answers: Partial<{ [T in MessageType]: (req: Messages[T]["req"]) => Messages[T]["res"] }>,
): { send: Send; calls: { type: string; req: unknown }[] } {
  const calls: { type: string; req: unknown }[] = [];
  const send = (async (type: MessageType, req: unknown) => {
    calls.push({ type, req });
    const answer = answers[type] as ((r: unknown) => unknown) | undefined;
    if (!answer) throw new Error(`no answer for ${type}`);
    return answer(req);
  }) as Send;
  return { send, calls };
}

/** Lets Preact and pending promises settle. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
}
