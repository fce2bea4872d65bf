import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { EventBus, VitalEvent, VitrineEventName } from '../../src/events.js';
import type { Storefront } from '../../src/index.js';
import { createHealthCounters, type HealthCounterSet } from '../../src/vitals/counters.js';
import { renderAssetTable } from './asset-table.js';
import { renderCounters } from './counters-panel.js';
import { buildDiagnosticsReport, copyReport, downloadReport, reportText, type DiagnosticsReport } from './diagnostics.js';
import { h, onFrame } from './dom.js';
import { createEventLog } from './event-log.js';
import { connectSimulatedStore, type SimulatedStore } from './backend-adapter.js';
import { renderFaultToggles, type FaultControl } from './fault-toggles.js';
import { createFieldView } from './field-view.js';
import { applyReproduce, reproduceFromQuery, runIncidentPattern, withoutReproduce } from './reproduce.js';
import { collectorToken, renderSettingsForm, resolveSettings, takeCollectorToken, type ConsoleSettings } from './settings.js';
import { startStorefrontView, type StorefrontView } from './storefront-view.js';
import { rate, renderVitals } from './vitals-panel.js';
import { renderWaterfall } from './waterfall.js';

const EVENTS: readonly VitrineEventName[] = ['request', 'cache', 'asset', 'vital', 'error', 'breaker'];

const $ = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`console page lacks #${id}`);
  return el;
};

/** The storefront's `on` is all a counter needs of a bus: the console subscribes, never reaches in. */
const busOf = (store: Storefront): EventBus => ({ on: (name, listener) => store.on(name, listener), emit: () => undefined, clear: () => undefined });

async function main(): Promise<void> {
  const status = $('status');
  let settings: ConsoleSettings;
  let simulated: SimulatedStore | undefined;
  try {
    simulated = await connectSimulatedStore(location.search);
    settings = await resolveSettings(location.search, simulated?.bases);
  } catch (e) {
    status.textContent = e instanceof Error ? e.message : String(e);
    return;
  }
  // An alarm's reproduce query is applied once, and a token passed in the URL is kept in this
  // browser instead: both leave the address bar, so a reload or a copied link carries neither.
  const reproduce = reproduceFromQuery(location.search);
  const cleaned = withoutReproduce(takeCollectorToken(location.search, settings.collectorApi));
  if (cleaned !== location.search) history.replaceState(history.state, '', `${location.pathname}${cleaned}${location.hash}`);
  renderSettingsForm($('settings') as HTMLFormElement, settings, (search) => location.assign(search));
  setUpTabs();
  const field = createFieldView(
    $('field'),
    settings.collectorApi ? { api: settings.collectorApi, token: collectorToken(settings.collectorApi), storeId: settings.storeId } : undefined,
  );
  void field.load().then((open) => {
    $('field-badge').textContent = open === undefined ? '' : `(${open} alarm${open === 1 ? '' : 's'})`;
  });
  $('store-name').textContent = `Store ${settings.storeId} · ${settings.simulated ? `simulated (${simulated?.mode === 'worker' ? 'service worker' : 'loopback'})` : settings.api}`;
  document.documentElement.dataset.backend = settings.simulated ? simulated?.mode : 'real';

  const log = createEventLog();
  const vitals = new Map<VitalEvent['name'], VitalEvent>();
  const pageLoad = Math.random().toString(36).slice(2, 8);
  let viewNo = 0;
  let view: StorefrontView | undefined;
  let counters: HealthCounterSet | undefined;
  let viewStart = performance.now();
  const control: FaultControl | undefined = settings.simulated ? simulated?.control : undefined;

  const draw = onFrame(() => {
    renderWaterfall($('waterfall'), log);
    renderAssetTable($('asset-table'), log);
    renderVitals($('vitals'), vitals);
    if (counters) renderCounters($('counters'), counters.snapshot());
  });

  // The console page's own vitals: the storefront shares the page, so they are the shopper's too.
  const onMetric = (m: Metric) => {
    vitals.set(m.name, { name: m.name, value: m.value, rating: rate(m.name, m.value) });
    draw();
  };
  for (const on of [onLCP, onFCP, onCLS, onINP, onTTFB]) on(onMetric, { reportAllChanges: true });

  function newView(): void {
    view?.destroy();
    counters?.stop();
    log.clear();
    viewStart = log.origin;
    viewNo++;
    const host = $('storefront');
    host.replaceChildren();
    view = startStorefrontView(host, settings, `${pageLoad}-${viewNo}`, (store) => {
      counters = createHealthCounters(busOf(store), { budget: store.retryBudget });
      for (const name of EVENTS) {
        store.on(name, (event) => {
          log.add(name, event);
          if (name === 'vital') vitals.set((event as VitalEvent).name, event as VitalEvent);
          draw();
        });
      }
    });
    $('view-no').textContent = `view ${viewNo}`;
    draw();
  }

  async function report(): Promise<DiagnosticsReport> {
    const faults = control ? await control.list().catch(() => []) : [];
    const health = counters?.snapshot();
    if (!health) throw new Error('No page view yet');
    return buildDiagnosticsReport({ settings, faults, events: log.events, viewStart, vitals: vitals.values(), counters: health });
  }

  $('reload-view').addEventListener('click', newView);
  $('copy-report').addEventListener('click', () => {
    void report().then(async (r) => {
      const copied = await copyReport(r);
      // Shown either way: a page without clipboard permission still lets support select it.
      const out = $('report-text');
      out.textContent = reportText(r);
      ($('report') as HTMLDetailsElement).open = !copied;
      status.textContent = copied ? `Diagnostics report copied (${r.events.length} events)` : 'Clipboard refused: the report is shown below to copy by hand';
    });
  });
  $('download-report').addEventListener('click', () => void report().then(downloadReport));

  if (reproduce) await applyReproduce($('reproduce'), reproduce, control, newView);
  if (control) {
    await renderFaultToggles($('faults'), control, newView).catch((e: unknown) => {
      $('faults').replaceChildren(h('p', {}, `Fault switches unavailable: ${e instanceof Error ? e.message : String(e)}`));
    });
  } else {
    $('faults').replaceChildren(h('p', {}, 'Fault switches work on the simulated store only.'));
  }
  newView();
  if (reproduce?.pattern === 'incident') void runIncidentPattern(document.getElementById('incident') ?? $('reproduce'), settings);
  status.textContent = 'Ready';
}

/** Live view and Field view as two tabs; `#field` in the URL opens the Field view. */
function setUpTabs(): void {
  const tabs = [
    [$('tab-live'), $('live-view')],
    [$('tab-field'), $('field-view')],
  ] as const;
  const show = (field: boolean) => {
    tabs.forEach(([tab, panel], i) => {
      const on = (i === 1) === field;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      panel.hidden = !on;
    });
  };
  tabs.forEach(([tab], i) =>
    tab.addEventListener('click', () => {
      show(i === 1);
      history.replaceState(history.state, '', `${location.pathname}${location.search}${i === 1 ? '#field' : ''}`);
    }),
  );
  show(location.hash === '#field');
}

void main();
