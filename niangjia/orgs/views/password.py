"""A user's own password: replacing a one-time password at first login, or changing it any time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from niangjia.orgs.auth import staff_of
from niangjia.orgs.forms import PasswordChangeForm
from niangjia.orgs.services import staff_password_change


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Set a new password; a user with a one-time password is sent here until they do."""
    user = staff_of(request)
    forced = user.must_change_password
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        staff_password_change(user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改，请牢记新密码。")
        return redirect("web:home")
    status = 400 if form.errors else 200
    return render(request, "orgs/password_change.html", {"form": form, "forced": forced}, status=status)
