"""Default settings shipped with photoscreen (activity list, policy, icons)."""
