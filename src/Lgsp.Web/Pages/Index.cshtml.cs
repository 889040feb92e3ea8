namespace Lgsp.Web.Pages;

/// <summary>The overview.</summary>
public sealed class IndexModel : ConsolePageModel
{
    /// <summary>Shows the overview.</summary>
    public void OnGet()
    {
    }
}
