import { isMessage, senderAllowed, type MessageType, type Request, type SenderLike } from "../protocol.js";
import type { Handlers } from "./handlers.js";
import type { BrowserLike } from "./platform.js";

/**
 * Routes one incoming message to its handler. Unknown messages, messages with no handler
 * here, and messages from a sender not allowed for that type are ignored (undefined).
 */
export function route(
  handlers: Handlers,
  message: unknown,
  sender: SenderLike,
  extensionId: string,
  extensionOrigin: string,
): Promise<unknown> | undefined {
  if (!isMessage(message)) return undefined;
  const type: MessageType = message.type;
  const handler = handlers[type] as
    ((req: Request<MessageType>, s: SenderLike) => Promise<unknown>) | undefined;
  if (!handler || !senderAllowed(type, sender, extensionId, extensionOrigin)) return undefined;
  return handler(message as Request<MessageType>, sender);
}

export function listen(browser: BrowserLike, handlers: Handlers): void {
  const origin = browser.runtime.getURL("");
  browser.runtime.onMessage.addListener((message, sender) =>
    route(handlers, message, sender, browser.runtime.id, origin),
  );
}
