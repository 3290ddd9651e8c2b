import type { Json } from './json.js';

/** The events of a whole Server-Sent Events stream: `event:` and the JSON of `data:`. */
export function parseEvents(text: string): Array<{ event: string; data: Json }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      const field = (name: string) =>
        lines
          .filter((line) => line.startsWith(`${name}:`))
          .map((line) => line.slice(name.length + 1).trimStart())
          .join('\n');
      return { event: field('event'), data: JSON.parse(field('data')) };
    });
}
