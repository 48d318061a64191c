"""Routing service (分流交办): tasks, disputes and clue outcomes for wage-arrears clues."""
