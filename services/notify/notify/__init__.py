"""Notify (通知): signed webhooks to agencies and feedback to the source platforms (规范反馈)."""
