import type { Plugin } from 'vite';

/**
 * Puts the stylesheets an HTML entry links into the page itself as <style>, for the pages listed
 * (paths relative to the project root). A linked stylesheet blocks the first paint until it has
 * been fetched, and the browser serves an extension's files slowly when it is busy: on the
 * benchmark machine the popup's first paint came ~20–40 ms sooner without its two. The extension
 * CSP restricts scripts, not styles. The CSS files are still emitted for chunks that load them.
 */
export function inlineEntryCss(pages: readonly string[]): Plugin {
  return {
    name: 'paperlight:inline-entry-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const page = context.path.replace(/^\//, '');
        if (!pages.includes(page) || !context.bundle) return html;
        const { bundle } = context;
        return html.replace(
          /<link rel="stylesheet"(?: crossorigin)? href="\/([^"]+\.css)">/g,
          (link, file: string) => {
            const asset = bundle[file];
            if (asset?.type !== 'asset') return link;
            const css =
              typeof asset.source === 'string'
                ? asset.source
                : new TextDecoder().decode(asset.source);
            // Our own CSS; a closing tag inside it would end the element early.
            if (css.includes('</')) return link;
            return `<style>${css}</style>`;
          },
        );
      },
    },
  };
}

/**
 * Removes script chunks with no code, and the imports of them. Two entries that share a module with
 * nothing left after tree-shaking (WXT's `virtual:wxt-html-plugins` when no WXT plugin is used) get
 * an empty chunk, which each page still imports: one more file to fetch before its first script
 * runs. Runs before the HTML is written, so no modulepreload link is made for them either.
 */
export function dropEmptyChunks(): Plugin {
  return {
    name: 'paperlight:drop-empty-chunks',
    apply: 'build',
    generateBundle: {
      order: 'pre',
      handler(_options, bundle) {
        const empty = Object.values(bundle).filter(
          (output) =>
            output.type === 'chunk' &&
            !output.isEntry &&
            output.exports.length === 0 &&
            output.code.trim() === '',
        );
        for (const chunk of empty) {
          const name = chunk.fileName.split('/').pop() ?? chunk.fileName;
          // `import"./x.js";` minified, `import "./chunks/x.js";` not: any quote, path and spacing.
          const statement = new RegExp(
            `import\\s*["'][^"']*/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["'];?`,
            'g',
          );
          let removable = true;
          for (const output of Object.values(bundle)) {
            if (output.type !== 'chunk' || !output.imports.includes(chunk.fileName)) continue;
            const code = output.code.replace(statement, '');
            // An import in a form not recognised keeps the (empty) file rather than break the page.
            if (code.includes(name)) {
              removable = false;
              continue;
            }
            output.code = code;
            output.imports = output.imports.filter((file) => file !== chunk.fileName);
          }
          if (removable) delete bundle[chunk.fileName];
        }
      },
    },
  };
}
