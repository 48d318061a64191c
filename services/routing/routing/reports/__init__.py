"""Reports (通报晾晒, the notice's section 六): a read model fed from the events of all three topics,
summaries by division, agency and industry authority, and the quarterly Wage Security Index.

A service of its own inside routing, with the same rooms: ``domain`` (the index, periods, figures,
who may read), ``app`` (commands, ports, use cases), ``store`` (tables, queries, repositories),
``api``, ``consumers`` (the projector), and ``bootstrap`` wiring them into routing.
"""
