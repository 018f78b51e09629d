import { WebSocket } from 'undici';

/**
 * Drives the Agents Playground the way its own web page does: posts through its HTTP API, card actions through
 * its invoke endpoint, and everything the bot sends read from its WebSocket stream. Shapes taken from the
 * Playground's log (devTools/m365agentsplayground.log).
 */

export interface PlaygroundAccount {
  id: string;
  name: string;
  aadObjectId?: string;
}

export interface PlaygroundConfig {
  tenantId: string;
  bot: PlaygroundAccount;
  currentUser: PlaygroundAccount;
  users: PlaygroundAccount[];
  personalChat: { id: string };
  groupChats: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string; channels: Array<{ id: string; name: string }> }>;
}

export interface Attachment {
  contentType: string;
  content: unknown;
}

export interface StreamMessage {
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  attachments?: Attachment[];
}

export interface StreamEvent {
  action: 'createMessage' | 'updateMessage' | 'typing';
  actionConversationId: string;
  message: StreamMessage;
}

export interface InvokeAnswer {
  statusCode?: number;
  type: string;
  value: unknown;
}

export interface Posted {
  messageId: string;
  /** the thread the post opened (a channel post) or the chat itself */
  postConversationId: string;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

export function cardOf(message: StreamMessage): unknown {
  return message.attachments?.find((a) => a.contentType === ADAPTIVE)?.content;
}

export class PlaygroundClient {
  readonly events: StreamEvent[] = [];

  private constructor(
    private readonly baseUrl: string,
    private readonly socket: WebSocket,
  ) {}

  /** Opens the stream first: the Playground delivers what it buffered before anyone listened on connect. */
  static async connect(baseUrl: string): Promise<PlaygroundClient> {
    const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`;
    const socket = new WebSocket(wsUrl);
    const client = new PlaygroundClient(baseUrl, socket);
    socket.addEventListener('message', (e) => client.receive(String(e.data)));
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot open ${wsUrl}`)), { once: true });
    });
    return client;
  }

  async config(): Promise<PlaygroundConfig> {
    const res = await fetch(`${this.baseUrl}/_internal/v1/config`);
    if (!res.ok) throw new Error(`GET config: ${res.status}`);
    return ((await res.json()) as { config: PlaygroundConfig }).config;
  }

  /** A post as the Playground's current user. In a channel, `mention` makes it reach the bot, as an @mention does. */
  async post(
    conversationId: string,
    text: string,
    options: { from: string; mention?: PlaygroundAccount },
  ): Promise<Posted> {
    const at = options.mention ? `<at>${options.mention.name}</at>` : '';
    const body = {
      type: 'text',
      text: at ? `${at} ${text}` : text,
      textFormat: 'plain',
      from: { id: options.from },
      mentions: options.mention
        ? [{ mentioned: { id: options.mention.id, name: options.mention.name }, text: at }]
        : [],
    };
    return this.postJson(
      `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      body,
    ) as Promise<Posted>;
  }

  /** An Action.Execute click on a card, by anyone: invokes keep their `from`. */
  async execute(options: {
    conversationId: string;
    from: string;
    replyToId: string;
    verb: string;
    data: Record<string, unknown>;
  }): Promise<InvokeAnswer> {
    return this.postJson('/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      conversation: { id: options.conversationId },
      from: { id: options.from },
      replyToId: options.replyToId,
      value: { action: { type: 'Action.Execute', verb: options.verb, data: options.data }, trigger: 'manual' },
    }) as Promise<InvokeAnswer>;
  }

  /** What the bot sent into one conversation (a thread or a chat), oldest first. */
  fromBot(conversationId?: string): StreamEvent[] {
    return this.events.filter(
      (e) => e.action !== 'typing' && (conversationId === undefined || e.actionConversationId === conversationId),
    );
  }

  /** The latest version of one message (its create, or its last update). */
  latest(messageId: string): StreamMessage | undefined {
    const versions = this.events.filter((e) => e.action !== 'typing' && e.message.messageId === messageId);
    return versions[versions.length - 1]?.message;
  }

  async waitFor<T>(find: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const found = find();
      if (found !== undefined && found !== false) return found;
      if (Date.now() > until)
        throw new Error(`timed out after ${ms} ms waiting for ${what}; the bot sent:\n${this.summary()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    this.socket.close();
  }

  private receive(data: string): void {
    try {
      const event = JSON.parse(data) as Partial<StreamEvent>;
      if (event.action && event.message) this.events.push(event as StreamEvent);
    } catch {
      // The stream also carries the Playground's own log lines; only conversation events matter here.
    }
  }

  private summary(): string {
    return this.fromBot()
      .slice(-8)
      .map(
        (e) =>
          `  ${e.action} ${e.actionConversationId}: ${(e.message.text ?? JSON.stringify(e.message.attachments ?? '')).slice(0, 160)}`,
      )
      .join('\n');
  }

  private async postJson(path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  }
}
