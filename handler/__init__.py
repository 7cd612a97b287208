"""Start-chat API: the Lambda behind ``POST /`` that starts an Amazon Connect chat.

Entry point: ``handler.app.lambda_handler``. Everything else in the package is pure logic
(``config``, ``request_body``, ``start_chat_request``, ``contact_parameters``, ``cors``,
``connect_errors``) or thin I/O (``connect_client``, ``observability``, ``service``).
"""
