import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "../i18n";
import { LoadMore } from "./LoadMore";

const page = (hasNextPage: boolean, totalCount: number, endCursor: string | null = "c2") => ({ totalCount, pageInfo: { hasNextPage, endCursor } });

describe("Load more", () => {
  it("asks for the page after the last cursor while there is one", async () => {
    await i18n.changeLanguage("en");
    const onMore = vi.fn();
    render(<LoadMore page={page(true, 45)} shown={20} fetching={false} onMore={onMore} />);
    expect(screen.getByRole("status")).toHaveTextContent("20 of 45");
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(onMore).toHaveBeenCalledWith("c2");
  });

  it("says nothing once all are shown, unless the list has no other count", async () => {
    await i18n.changeLanguage("en");
    const { container } = render(<LoadMore page={page(false, 2)} shown={2} fetching={false} onMore={() => {}} />);
    expect(container).toBeEmptyDOMElement();
    render(<LoadMore page={page(false, 2)} shown={2} fetching={false} onMore={() => {}} showTotal />);
    expect(screen.getByRole("status")).toHaveTextContent("2 of 2");
    expect(screen.queryByRole("button")).toBeNull();
  });
});
