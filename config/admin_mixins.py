"""Admin building blocks shared by the apps."""


class ReadOnlyAdminMixin:
    """An admin for records the application writes and nobody edits: audit trails, decisions, receipts.

    They can be searched and read; adding, changing and deleting happen only through the services
    (or never, for append-only records).
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
