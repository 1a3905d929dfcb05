"""Partnership oversight: the dashboard's figures, its charts (SVG drawn on the server) and exports,
and the learning log (wider learning recorded at resolution, themes over time, what was done).

Every figure is an aggregate query in the database: the number of queries does not grow with the
data. Every figure that leaves the dashboard (an export, a board report) suppresses small numbers
(``Partnership.suppress_below``, 5 by default: "fewer than 5").
"""
