"""Pulumi components of connect-chat: the ConnectChat component and its parts."""
