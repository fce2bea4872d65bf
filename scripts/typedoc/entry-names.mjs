// @ts-check
/**
 * A local TypeDoc plugin: each built entry point is named by its import specifier (dist/index.d.ts
 * is `vitrine`, dist/ui.d.ts is `vitrine/ui`), the way a developer imports it.
 */
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const entry of context.project.getChildrenByKind(ReflectionKind.Module)) {
      entry.name = entry.name === 'index' ? 'vitrine' : `vitrine/${entry.name}`;
    }
  });
}
