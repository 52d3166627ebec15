extension DashboardAssets {
    static let style = #"""
        :root {
          --bg: #f4f6fb; --card: #ffffff; --ink: #1d2433; --muted: #6b7489; --line: #e3e7f0;
          --accent: #4f7cff; --accent2: #19b394; --warn: #f0a020; --bad: #e5484d; --head: #141a2a;
          --radius: 10px;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); font-size: 14px; }
        a { color: var(--accent); }
        .top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: var(--head); color: #fff; position: sticky; top: 0; z-index: 2; }
        .brand { font-weight: 700; font-size: 18px; display: flex; align-items: center; gap: 8px; letter-spacing: .3px; }
        .logo { width: 18px; height: 18px; border-radius: 50%; background: conic-gradient(var(--accent), var(--accent2), var(--accent)); display: inline-block; }
        nav { display: flex; gap: 4px; flex: 1; }
        nav a { color: #c9d2ea; text-decoration: none; padding: 6px 14px; border-radius: 6px; }
        nav a.active, nav a:hover { background: #263050; color: #fff; }
        .live { display: flex; align-items: center; gap: 6px; color: #c9d2ea; font-size: 12px; }
        .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--warn); }
        .live.on .dot { background: var(--accent2); box-shadow: 0 0 0 3px rgba(25,179,148,.25); }
        .live.off .dot { background: var(--bad); }
        main { padding: 20px 24px; max-width: 1400px; margin: 0 auto; }
        .empty { color: var(--muted); }
        h2 { font-size: 20px; margin: 0 0 14px; display: flex; align-items: baseline; gap: 10px; }
        h2 .state { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 99px; background: #e6f7f2; color: #0d7a62; }
        h2 .state.failed { background: #fde8e8; color: var(--bad); }
        h2 .state.stopped, h2 .state.stopping { background: #eef0f5; color: var(--muted); }
        h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); margin: 0 0 10px; font-weight: 600; }
        .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-bottom: 16px; }
        .stat { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 12px 14px; }
        .stat .label { color: var(--muted); font-size: 12px; }
        .stat .value { font-size: 22px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; }
        .stat .value.bad { color: var(--bad); }
        .stat svg { display: block; width: 100%; height: 34px; margin-top: 6px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 14px 16px; min-width: 0; }
        .card.wide { grid-column: 1 / -1; }
        .bars { width: 100%; }
        .bar-row { display: grid; grid-template-columns: 150px 1fr 90px; align-items: center; gap: 10px; height: 28px; }
        .bar-row .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .bar-row .num { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
        .bar-track { background: #eef1f8; border-radius: 5px; height: 16px; overflow: hidden; }
        .bar-fill { height: 100%; border-radius: 5px; background: var(--accent); transition: width .4s ease; }
        .bar-fill.alt { background: var(--accent2); }
        .bar-fill.gold { background: #8a63d2; }
        .chart svg { width: 100%; height: 240px; display: block; }
        .chart svg text { font-family: inherit; }
        .legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: 12px; color: var(--muted); margin-top: 6px; }
        .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
        table { width: 100%; border-collapse: collapse; font-size: 13px; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; font-size: 12px; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
        .scroll { overflow-x: auto; }
        .muted { color: var(--muted); }
        .foot { color: var(--muted); font-size: 12px; padding: 10px 24px 24px; max-width: 1400px; margin: 0 auto; }
        """#
}
