"""Deadlines service: statutory periods (期限) for wage-arrears clues."""
