"""Question-bank pages for organisers: thin views that parse, authorise
(``contest.permissions``) and call one service or selector."""
