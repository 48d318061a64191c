"""Reports (通报晾晒, the notice's section 六): a read model fed from the events of all three topics,
summaries by division, agency and industry authority, and the quarterly Wage Security Index."""
