"""Read side of the dashboard, one module per use case; callers import from the module.

- `windows`: the dashboard's clock and date windows (`Window`, `add_months`, `month_end`).
- `tables`: figures per group, now and a year before (`grouped`, `grand_total`, `table_rows`).
- `suppression`: what enterprise users may not see of the province (`province_table`).
- `exports`: the exports table for a caller (`Viewer`, `exports`).
- `targets`, `pipeline`, `quality`: the target, certification and cold-chain blocks.
- `overview`: the overview answers and the refill of the cached defaults (`warm_defaults`).

Staff get everything; enterprise users get their own figures plus province figures passed through
`suppression.suppress_province`.
"""
