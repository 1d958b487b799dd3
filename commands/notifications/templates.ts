import {
  NOTIFICATION_LOCALES,
  type NotificationKind,
  type NotificationLocale,
  TEMPLATE_CHANNELS,
  TEMPLATED_KINDS,
  type TemplateChannel,
  variablesOf,
} from '../../domain/notifications/catalog.js';
import { NOTIFICATION_TEMPLATES_STREAM } from '../../domain/notifications/template-events.js';
import { renderText } from '../../domain/notifications/template-text.js';
import {
  currentTemplate,
  notificationTemplates,
  type TemplateCommand,
  type TemplatesState,
} from '../../domain/notifications/templates.js';
import type { EventStore } from '../eventstore/port.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import { escapeHtml } from '../mail/templates.js';
import type { CommandMetadata } from '../metadata.js';

export interface TemplateView {
  type: NotificationKind;
  channel: TemplateChannel;
  locale: NotificationLocale;
  subject: string | null;
  body: string;
  variables: string[];
  customized: boolean;
  version: number;
}

export const loadTemplates = (store: EventStore): Promise<TemplatesState> =>
  currentState(store, NOTIFICATION_TEMPLATES_STREAM, notificationTemplates);

export const templateView = (
  state: TemplatesState,
  key: { kind: NotificationKind; channel: TemplateChannel; locale: NotificationLocale },
): TemplateView => {
  const { subject, body, customized, version } = currentTemplate(state, key);
  return {
    type: key.kind,
    channel: key.channel,
    locale: key.locale,
    subject,
    body,
    variables: variablesOf(key.kind),
    customized,
    version,
  };
};

/** Every editable template, customized or built in. */
export function allTemplates(state: TemplatesState): TemplateView[] {
  return TEMPLATED_KINDS.flatMap((kind) =>
    TEMPLATE_CHANNELS.flatMap((channel) =>
      NOTIFICATION_LOCALES.map((locale) => templateView(state, { kind, channel, locale })),
    ),
  );
}

/** Admin changes to templates (stream `notification-templates`), checked by the pure decider. */
export function templateCommands(deps: HandlerDeps) {
  const handle = commandHandler(deps, { decider: notificationTemplates, stream: () => NOTIFICATION_TEMPLATES_STREAM });
  return (command: TemplateCommand, metadata: CommandMetadata) => handle(command, metadata);
}

export interface RenderedMessage {
  subject: string | null;
  text: string;
}

/** A template filled in; values are plain text (the html of an email is made from the result). */
export function renderTemplate(
  state: TemplatesState,
  key: { kind: NotificationKind; channel: TemplateChannel; locale: NotificationLocale },
  values: Readonly<Record<string, string>>,
): RenderedMessage {
  const template = currentTemplate(state, key);
  return {
    subject: template.subject === null ? null : oneLine(renderText(template.subject, values)),
    text: renderText(template.body, values).trim(),
  };
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

const URL = /https?:\/\/[^\s<>"]+/g;

/** The html part of a notification mail: the text escaped, paragraphs kept, web addresses linked. */
export function mailHtml(subject: string, text: string, locale: NotificationLocale): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((paragraph) => {
      const lines = paragraph.split('\n').map((line) => linkify(line));
      return `<p>${lines.join('<br>')}</p>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1f2937;max-width:560px">
${paragraphs}
</body>
</html>
`;
}

function linkify(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(URL)) {
    const index = match.index ?? 0;
    html += escapeHtml(line.slice(last, index));
    const href = escapeHtml(match[0]);
    html += `<a href="${href}">${href}</a>`;
    last = index + match[0].length;
  }
  return html + escapeHtml(line.slice(last));
}
